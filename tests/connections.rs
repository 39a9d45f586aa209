//! A polite client: a run opens at most `--jobs` connections to one origin, however many
//! checks it runs, because each keep-alive connection goes back to the pool and is reused.
//! The target here is a small HTTP/1.1 server on 127.0.0.1 that counts the TCP
//! connections it accepts; the count is exact, not a timing.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{authspec, fake_secret, write};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How the counting server answers.
#[derive(Clone, Copy)]
enum Keep {
    /// Keep-alive, as HTTP/1.1 servers do.
    Alive,
    /// `Connection: close` on every answer (the flawed twin for the counter itself).
    Close,
}

/// Answers every request on `/ok` with 200 when it carries `bearer`, else 401; counts
/// accepted connections.
async fn server(bearer: String, keep: Keep) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve(stream, bearer.clone(), keep));
        }
    });
    (url, accepted)
}

async fn serve(mut stream: tokio::net::TcpStream, bearer: String, keep: Keep) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        buf.drain(..end + 4);
        let authorized = head.contains(&format!(
            "authorization: bearer {}",
            bearer.to_ascii_lowercase()
        ));
        let (status, body) = if authorized {
            ("200 OK", r#"{"ok":true}"#)
        } else {
            ("401 Unauthorized", r#"{"error":"unauthorized"}"#)
        };
        let connection = match keep {
            Keep::Alive => "",
            Keep::Close => "connection: close\r\n",
        };
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{connection}content-length: {}\r\n\r\n",
            body.len()
        );
        // Head and body in two segments, as many servers send them: the client sees the
        // response before its body, which is when a careless pool opens a second
        // connection for the next request.
        for part in [head.as_bytes(), body.as_bytes()] {
            if stream.write_all(part).await.is_err() || stream.flush().await.is_err() {
                return;
            }
        }
        if let Keep::Close = keep {
            return;
        }
    }
}

/// 200 entries, each allowed to `reader` and denied to `anonymous`: 400 cells.
fn suite() -> String {
    let mut s = String::from(
        "suite: connections\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\n  \
         reader:\n    bearer: ${env:TOKEN}\naccess:\n",
    );
    for i in 0..200 {
        s.push_str(&format!(
            "  - request: GET /ok?n={i}\n    allow: [reader]\n    deny: [anonymous]\n"
        ));
    }
    s
}

async fn connections_for(jobs: usize, keep: Keep) -> usize {
    let token = fake_secret("conn");
    let (url, accepted) = server(token.clone(), keep).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "c.yaml", &suite());
    let jobs = jobs.to_string();
    let dir_path = dir.path().to_path_buf();
    let run = tokio::task::spawn_blocking(move || {
        let env = [("API_URL", url.as_str()), ("TOKEN", token.as_str())];
        authspec(&["run", "c.yaml", "--jobs", &jobs], &env, &dir_path)
    })
    .await
    .unwrap();
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("400 passed"), "{}", run.stdout);
    accepted.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_opens_at_most_jobs_connections_to_one_origin() {
    for jobs in [1, 4] {
        let n = connections_for(jobs, Keep::Alive).await;
        assert!(
            (1..=jobs).contains(&n),
            "--jobs {jobs}: 400 checks opened {n} connections"
        );
    }
}

/// The twin: a server that closes every connection gets one connection per request, and
/// the counter sees each (so the bound above is not the counter's blindness); the run
/// still passes, each `Connection: close` freeing its place for the next connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_closes_each_connection_is_counted_once_per_request() {
    let n = connections_for(4, Keep::Close).await;
    assert_eq!(n, 400, "one connection per request");
}
