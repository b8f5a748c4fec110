//! A running `themis serve` for tests: started on a free port over a workspace's index, asked
//! over plain HTTP/1.1 (a few lines over a socket: the tests need nothing more), and killed
//! when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::Workspace;

/// A server process and its base URL (`http://127.0.0.1:PORT`).
pub struct Server {
    pub child: Child,
    pub address: String,
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    /// Starts `themis serve --port 0` over the workspace (whose index must exist) and waits for
    /// the URL it prints.
    pub fn start(ws: &Workspace) -> Server {
        Self::start_with(ws, &["--quiet"])
    }

    /// Starts it with `extra` arguments.
    pub fn start_with(ws: &Workspace, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_themis"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .arg("--corpus")
            .arg(ws.corpus())
            .arg("--index")
            .arg(ws.index())
            .current_dir(ws.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start themis serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the URL");
        let url = line.trim();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "themis serve printed `{url}`"
        );
        Server {
            child,
            address: url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        get(&self.address, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` from the server at `address` (host:port), with a 60 s bound on the exchange.
pub fn get(address: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8(body).expect("a UTF-8 body"),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        data = &data[end + 2..];
        out.extend_from_slice(&data[..size.min(data.len())]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}
