//! ## What it detects
//! Database error messages in a response body: the server's own wording (PostgreSQL
//! `syntax error at or near`, MySQL `You have an error in your SQL syntax`, SQL Server
//! `Unclosed quotation mark`, Oracle `ORA-00933:`, MongoDB `E11000 duplicate key error`),
//! and the driver or ORM exception names that wrap them (`PG::`, `psycopg2.errors`,
//! `com.mysql.jdbc`, `sqlite3.OperationalError`, `SqlException`, `MongoServerError`,
//! `sqlalchemy.exc`, `org.hibernate`...).
//!
//! ## Why is this bad?
//! A database error names the engine, often the query, table and column names, and
//! shows that input reached a query unhandled: the classic first step of SQL (or NoSQL)
//! injection. Even without injection it discloses the schema.
//!
//! ## Classification
//! CWE-209: Generation of Error Message Containing Sensitive Information.
//! OWASP API Security Top 10: API8:2023 Security Misconfiguration.
//!
//! ## Reported as
//! One leak per product, e.g. `PostgreSQL error message`. Bare product names (`MySQL`,
//! `Oracle`) and SKU-like codes without the error's colon (`ORA-10001`) do not count.

use std::sync::LazyLock;

use super::{Catalogue, body_leaks};
use crate::leak::{Detector, Leak, Response};

/// (product, pattern); patterns of one product are tried in order.
const SOURCES: &[(&str, &str)] = &[
    ("PostgreSQL", r#"\bsyntax error at or near \\?""#),
    (
        "PostgreSQL",
        r#"\b(?:relation|column) \\?"[^"\n]{1,100}" does not exist"#,
    ),
    (
        "PostgreSQL",
        r"\bduplicate key value violates unique constraint",
    ),
    ("PostgreSQL", r"\bPG::[A-Z]\w+"),
    ("PostgreSQL", r"\bpsycopg2?\.(?:errors\.)?[A-Z]\w+"),
    ("PostgreSQL", r"\borg\.postgresql\.util\.PSQLException\b"),
    ("PostgreSQL", r"\bNpgsql\.PostgresException\b"),
    ("MySQL/MariaDB", r"You have an error in your SQL syntax"),
    ("MySQL/MariaDB", r"\bERROR \d{4} \([0-9A-Z]{5}\)"),
    ("MySQL/MariaDB", r"\bmysqli?_[a-z_]+\(\)"),
    ("MySQL/MariaDB", r"\bcom\.mysql\.(?:cj\.)?jdbc\b"),
    ("MySQL/MariaDB", r"\bMySqlException\b|\bMySql\.Data\.\w+"),
    (
        "MySQL/MariaDB",
        r"\bDuplicate entry '[^'\n]{0,100}' for key\b",
    ),
    ("MySQL/MariaDB", r"\bUnknown column '[^'\n]{1,100}' in '"),
    ("MySQL/MariaDB", r"\bTable '[\w$.-]+' doesn't exist"),
    (
        "MySQL/MariaDB",
        r"\bpymysql\.err\.\w+|\bMySQLdb\.\w+Error\b|\bmysql\.connector\.errors\.\w+|\bMysql2::Error\b",
    ),
    (
        "MySQL/MariaDB",
        r"\bER_(?:PARSE_ERROR|NO_SUCH_TABLE|BAD_FIELD_ERROR|DUP_ENTRY|ACCESS_DENIED_ERROR)\b",
    ),
    (
        "SQLite",
        r"\bSQLITE_(?:ERROR|CONSTRAINT\w*|BUSY|LOCKED|READONLY|MISMATCH|CORRUPT|CANTOPEN|IOERR\w*)\b",
    ),
    (
        "SQLite",
        r"\bsqlite3\.(?:OperationalError|IntegrityError|ProgrammingError|DatabaseError)\b",
    ),
    ("SQLite", r"\bno such (?:table|column): [\w.$]+"),
    (
        "SQLite",
        r"\bSQLite3::\w+Exception\b|\bSQLiteException\b|\bSqliteException\b",
    ),
    ("SQLite", r#"\bnear \\?"[^"\n]{1,50}": syntax error"#),
    (
        "SQL Server",
        r"Unclosed quotation mark after the character string",
    ),
    (
        "SQL Server",
        r"Microsoft OLE DB Provider for (?:SQL Server|ODBC Drivers)",
    ),
    ("SQL Server", r"\bSqlException\b"),
    ("SQL Server", r"\bMsg \d+, Level \d+(?:, State \d+)?"),
    (
        "SQL Server",
        r"\[Microsoft\]\[ODBC [^\]\n]{0,40}Driver[^\]\n]{0,40}\]",
    ),
    ("SQL Server", r"\bIncorrect syntax near '"),
    ("SQL Server", r"\bcom\.microsoft\.sqlserver\.jdbc\.\w+"),
    ("Oracle", r"\b(?:ORA|PLS)-\d{5}: [^\n\x22\\]{0,80}"),
    ("Oracle", r"\boracle\.jdbc\.\w+"),
    ("MongoDB", r"\bE11000 duplicate key error[^\n\x22\\]{0,80}"),
    ("MongoDB", r"\bMongo\w*(?:Error|Exception)\b"),
    ("MongoDB", r"\bpymongo\.errors\.\w+"),
    ("SQLAlchemy", r"\bsqlalchemy\.exc\.\w+"),
    ("Hibernate", r"\borg\.hibernate\.[\w.]*Exception\b"),
    ("JDBC", r"\bjava\.sql\.SQL\w*Exception\b"),
    ("Django ORM", r"\bdjango\.db\.utils\.\w+Error\b"),
    ("ActiveRecord", r"\bActiveRecord::StatementInvalid\b"),
    ("Sequelize", r"\bSequelize\w*Error\b"),
    ("PHP PDO", r"\bSQLSTATE\[[0-9A-Z]{5}\]"),
];

static PATTERNS: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::new(SOURCES));

/// Database error messages in the body.
pub struct DatabaseError;

impl Detector for DatabaseError {
    fn id(&self) -> &'static str {
        "database_error"
    }

    fn scan(&self, response: &Response<'_>) -> Vec<Leak> {
        let what = |product: &str| format!("{product} error message");
        body_leaks(
            self.id(),
            &PATTERNS,
            response.body,
            what,
            209,
            "API8:2023 Security Misconfiguration",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leak::detectors::testing::scan_body;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(PATTERNS.len(), SOURCES.len());
        assert!(PATTERNS.iter().all(|(_, p)| p.compiles()));
    }

    #[test]
    fn fires_on_real_errors() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str)] = &[
            ("PostgreSQL server", "ERROR:  syntax error at or near \"FROM\"\nLINE 1: SELECT * FROM FROM users", "PostgreSQL"),
            ("PostgreSQL via node-postgres, JSON", r#"{"error":"relation \"orders\" does not exist"}"#, "PostgreSQL"),
            ("PostgreSQL via Ruby pg", "PG::UndefinedTable: ERROR:  relation \"users\" does not exist", "PostgreSQL"),
            ("PostgreSQL via psycopg2", "psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint \"users_email_key\"", "PostgreSQL"),
            ("PostgreSQL via JDBC", "org.postgresql.util.PSQLException: ERROR: column \"nme\" does not exist", "PostgreSQL"),
            ("MySQL server", "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''1''' at line 1", "MySQL/MariaDB"),
            ("MariaDB client", "ERROR 1064 (42000): You have an error in your SQL syntax", "MySQL/MariaDB"),
            ("MySQL via PHP mysqli", "<b>Warning</b>: mysqli_query(): (42S02/1146): Table 'shop.userz' doesn't exist", "MySQL/MariaDB"),
            ("MySQL via Connector/J", "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure", "MySQL/MariaDB"),
            ("MySQL duplicate", "Duplicate entry 'alice@example.com' for key 'users.email'", "MySQL/MariaDB"),
            ("MySQL via node mysql", r#"{"code":"ER_PARSE_ERROR","errno":1064}"#, "MySQL/MariaDB"),
            ("SQLite C API", "SQLITE_ERROR: no such table: sessions", "SQLite"),
            ("SQLite via Python", "sqlite3.OperationalError: near \"SELEC\": syntax error", "SQLite"),
            ("SQLite via Rails", "SQLite3::SQLException: no such column: userss.name", "SQLite"),
            ("SQL Server", "Unclosed quotation mark after the character string ''.", "SQL Server"),
            ("SQL Server classic ASP", "Microsoft OLE DB Provider for SQL Server error '80040e14'", "SQL Server"),
            ("SQL Server via ADO.NET", "System.Data.SqlClient.SqlException (0x80131904): Incorrect syntax near 'WHERE'.", "SQL Server"),
            ("SQL Server sqlcmd", "Msg 102, Level 15, State 1, Line 1\nIncorrect syntax near ')'.", "SQL Server"),
            ("Oracle", "ORA-00933: SQL command not properly ended", "Oracle"),
            ("Oracle PL/SQL", "PLS-00201: identifier 'X' must be declared", "Oracle"),
            ("MongoDB Node driver", r#"{"name":"MongoServerError","code":11000}"#, "MongoDB"),
            ("MongoDB duplicate", "E11000 duplicate key error collection: shop.users index: email_1 dup key: { email: \"a@b.c\" }", "MongoDB"),
            ("MongoDB legacy", "MongoError: connection 0 to localhost:27017 timed out", "MongoDB"),
            ("SQLAlchemy", "sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedColumn)", "SQLAlchemy"),
            ("PHP PDO", "SQLSTATE[42S22]: Column not found: 1054 Unknown column 'x' in 'where clause'", "PHP PDO"),
        ];
        for (name, body, product) in cases {
            let leaks = scan_body(&DatabaseError, body);
            let what = format!("{product} error message");
            assert!(
                leaks.iter().any(|l| l.what == what),
                "{name}: expected {what}, got {leaks:?}"
            );
        }
    }

    #[test]
    fn quiet_on_look_alikes() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("hosting plans", r#"{"plans":["Managed PostgreSQL 16","MySQL 8.0","MongoDB Atlas","Oracle 19c"]}"#),
            ("generic validation error", r#"{"error":"syntax error","field":"query"}"#),
            ("SKU without colon", r#"{"sku":"ORA-10001","name":"Orange crate"}"#),
            ("short code with colon", r#"{"ref":"ORA-1234: pending"}"#),
            ("table field", r#"{"table":"users","column":"email","no such":"thing"}"#),
            ("duplicate in prose", r#"{"message":"Duplicate entry detected, please retry"}"#),
            ("game level", r#"{"msg":"Level 15 unlocked","level":15}"#),
            ("mysqli as a field", r#"{"mysqli_enabled":true,"pg_version":"16"}"#),
            ("Mongo in prose", r#"{"tags":["Mongolia","Mongo tutorial"]}"#),
            ("ERROR word", r#"{"status":"ERROR: payment declined"}"#),
        ];
        for (name, body) in cases {
            let leaks = scan_body(&DatabaseError, body);
            assert!(leaks.is_empty(), "{name}: unexpected {leaks:?}");
        }
    }

    #[test]
    fn one_leak_per_product() {
        let body = "ORA-00942: table or view does not exist\nORA-06512: at line 1\nSQLITE_BUSY";
        let leaks = scan_body(&DatabaseError, body);
        let whats: Vec<&str> = leaks.iter().map(|l| l.what.as_str()).collect();
        assert_eq!(whats, ["SQLite error message", "Oracle error message"]);
        assert_eq!(leaks[1].evidence, "ORA-00942: table or view does not exist");
    }
}
