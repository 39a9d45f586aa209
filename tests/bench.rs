//! The benchmark script keeps working: `bench/run.sh` on a tiny size starts its own
//! target, runs every tool, counts connections and prints the table and ratios. Timings
//! themselves are never asserted (they are noise on a shared machine).

mod common;

use std::process::Command;

#[test]
fn the_benchmark_script_runs_on_a_tiny_size() {
    let root = common::repo_root();
    let out = Command::new("bash")
        .arg(root.join("bench/run.sh"))
        .args([
            "--sizes",
            "20",
            "--runs",
            "1",
            "--bin",
            env!("CARGO_BIN_EXE_authspec"),
        ])
        .current_dir(&root)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row = |tool: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {tool:<22} |")))
            .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>())
            .unwrap_or_else(|| panic!("no row for {tool}:\n{stdout}"))
    };
    for tool in [
        "authspec",
        "authspec --jobs 1",
        "authspec --jobs 64",
        "authspec leakage:off",
    ] {
        let cells = row(tool);
        assert_eq!(cells[2], "20", "{cells:?}");
        let conns: usize = cells[6].parse().expect("a connection count");
        assert!((1..=20).contains(&conns), "{tool}: {conns} connections");
        let cpu: f64 = cells[7].parse().expect("CPU seconds");
        assert!(cpu > 0.0, "{tool}: {cpu} s of CPU");
    }
    // curl -K keeps one connection alive for every URL: the counter is exact.
    assert_eq!(row("curl -K")[6], "1", "{stdout}");
    assert!(stdout.contains("--jobs 1 / curl -K ="), "{stdout}");
    assert!(
        stdout.contains("CPU time default / leakage:off ="),
        "{stdout}"
    );
}
