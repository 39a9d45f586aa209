//! authspec: a declarative integration-security test harness. Suites describe roles,
//! their credentials and what each may do; authspec proves it against the real API and
//! reports in JUnit. Pipeline: load → model → plan → engine → results → report.

pub mod cli;
pub mod demo;
pub mod engine;
pub mod exit_codes;
pub mod jose;
pub mod leak;
pub mod load;
pub mod model;
pub mod mutation;
pub mod openapi;
pub mod plan;
pub mod redact;
pub mod report;
pub mod results;
pub mod tls;
pub mod waivers;
pub mod webhook;
