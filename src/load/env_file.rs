//! `--env-file FILE`: environment variables in dotenv format (`NAME=value`, quotes,
//! `export`, comments), read with the `dotenvy` crate, for `${env:NAME}` references. A
//! variable the process environment already has wins over the file — dotenvy's own
//! convention (its loaders never override a set variable) — so CI, or a developer's
//! shell, can override what the file says. The file's values are never put into the
//! process environment: they reach the references that name them (and through them the
//! redaction layer), and the environment of `secrets:` commands.

use std::path::Path;

use super::reference::Env;

/// The process environment, then the file's variables.
pub struct WithEnvFile {
    file: Vec<(String, String)>,
}

impl Env for WithEnvFile {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().or_else(|| self.file.var(name))
    }
}

impl WithEnvFile {
    /// Reads `path`; the error says which file and which entry, never a value.
    pub fn read(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        let entries = dotenvy::from_path_iter(path)
            .map_err(|e| format!("cannot read the --env-file {shown}: {}", reason(&e)))?;
        let mut file = Vec::new();
        for (i, entry) in entries.enumerate() {
            match entry {
                Ok(pair) => file.push(pair),
                Err(e) => {
                    return Err(format!(
                        "--env-file {shown}: entry {} is not `NAME=value`: {}",
                        i + 1,
                        reason(&e)
                    ));
                }
            }
        }
        Ok(Self { file })
    }
}

/// dotenvy's message without the line it could not parse (it may hold a secret).
fn reason(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(_, at) => format!("it cannot be parsed at character {at}"),
        dotenvy::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dotenv_files_and_lets_the_process_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(
            &path,
            "# test values\nALICE_PASSWORD=fake-alice-pw\nexport QUOTED=\"a b\"\nPATH=from-the-file\n",
        )
        .unwrap();
        let env = WithEnvFile::read(&path).unwrap();
        assert_eq!(env.var("ALICE_PASSWORD").as_deref(), Some("fake-alice-pw"));
        assert_eq!(env.var("QUOTED").as_deref(), Some("a b"));
        // PATH is set in every test process: the process wins.
        assert_ne!(env.var("PATH").as_deref(), Some("from-the-file"));
        assert_eq!(env.var("AUTHSPEC_TEST_UNSET_VARIABLE"), None);
    }

    #[test]
    fn a_bad_line_is_named_without_its_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "GOOD=1\nfake-secret-without-a-name\n").unwrap();
        let e = WithEnvFile::read(&path).err().unwrap();
        assert!(e.contains("entry 2 is not `NAME=value`"), "{e}");
        assert!(!e.contains("fake-secret"), "{e}");
        let e = WithEnvFile::read(&dir.path().join("missing"))
            .err()
            .unwrap();
        assert!(e.contains("cannot read the --env-file"), "{e}");
    }
}
