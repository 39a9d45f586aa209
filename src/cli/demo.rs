//! `authspec demo`: serve the demo target in the foreground and print how to reach it.
// The `export` lines print the demo's credentials on purpose: they are what this command
// is for. Everything else goes through the redactor like any other output.
#![allow(clippy::print_stdout)]

use std::sync::Arc;

use super::output::Out;
use crate::redact::Redactor;

use super::args::DemoArgs;
use crate::demo::{DemoCredentials, DemoServer};
use crate::exit_codes;

pub fn demo(args: DemoArgs) -> u8 {
    let out = Out::new(Arc::new(Redactor::new()));
    let listener = match std::net::TcpListener::bind(args.listen) {
        Ok(l) => l,
        Err(e) => {
            out.error(format!("cannot listen on {}: {e}", args.listen));
            return exit_codes::INVALID_INPUT;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            out.error(format!("cannot start the async runtime: {e}"));
            return exit_codes::CHECKS_FAILED;
        }
    };
    runtime.block_on(async {
        let creds = DemoCredentials::random();
        let server = match DemoServer::start(creds.clone(), Some(listener)).await {
            Ok(s) => s,
            Err(e) => {
                out.error(format!("cannot start the demo target: {e}"));
                return exit_codes::CHECKS_FAILED;
            }
        };
        let url = server.url();
        // A token of the right shape that the demo does not accept, for a "ghost" role.
        let ghost = DemoCredentials::random().reader_token;
        println!("authspec demo target listening on {url} (Ctrl-C to stop)");
        println!("Credentials are random for this process. For a suite using ${{env:…}}:\n");
        println!("export ORDERS_API_URL={url}");
        println!("export READER_TOKEN={}", creds.reader_token);
        println!("export WRITER_TOKEN={}", creds.writer_token);
        println!("export ADMIN_TOKEN={}", creds.admin_token);
        println!("export PARTNER_KEY={}", creds.partner_key);
        println!("export WEBHOOK_SECRET={}", creds.webhook_secret);
        println!("export GHOST_TOKEN={ghost}   # not accepted by the demo");
        let _ = tokio::signal::ctrl_c().await;
        println!("stopped");
        exit_codes::SUCCESS
    })
}
