//! Routes, and how answers and failures become responses: pages as HTML, the API as JSON
//! (`{"error": …}` on failure), with the status a failure calls for and headers that keep
//! the pages self-contained (a Content-Security-Policy that allows no scripts and fetches
//! nothing from elsewhere).

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::html::{esc, page, Nav};
use super::params::Params;
use super::state::{AppState, Failure};
use super::{api, report, search, themes};

type QueryArgs = Result<Query<Vec<(String, String)>>, QueryRejection>;
type PathArg = Result<Path<String>, PathRejection>;

/// Every page is self-contained: inline styles, no scripts, nothing fetched from elsewhere.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/search") }))
        .route("/search", get(search_page))
        .route("/themes", get(themes_page))
        .route("/themes/{id}", get(theme_page))
        .route("/reports/{id}", get(report_page))
        .route(
            "/api",
            get(|| async { json_response(Ok(api::endpoints())) }),
        )
        .route("/api/search", get(api_search))
        .route("/api/facets", get(api_facets))
        .route("/api/themes", get(api_themes))
        .route("/api/themes/{id}", get(api_theme))
        .route("/api/findings", get(api_findings))
        .route("/api/report", get(api_report))
        .route("/api/trends", get(api_trends))
        .route("/api/reports/{id}", get(api_report_view))
        .fallback(|| async {
            html_response(Err(Failure::NotFound(
                "no such page: try /search, /themes or /api".into(),
            )))
        })
        .with_state(state)
}

fn params(query: QueryArgs) -> Result<Params, Failure> {
    query
        .map(|Query(pairs)| Params(pairs))
        .map_err(|e| Failure::BadRequest(format!("bad query string: {}", e.body_text())))
}

fn path(arg: PathArg) -> Result<String, Failure> {
    arg.map(|Path(p)| p)
        .map_err(|e| Failure::BadRequest(format!("bad path: {}", e.body_text())))
}

fn status(failure: &Failure) -> StatusCode {
    match failure {
        Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
        Failure::NotFound(_) => StatusCode::NOT_FOUND,
        Failure::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn with_headers(mut response: Response, content_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html_response(answer: Result<String, Failure>) -> Response {
    let (code, body) = match answer {
        Ok(body) => (StatusCode::OK, body),
        Err(failure) => {
            let code = status(&failure);
            let body = format!(
                "<h1>{}</h1>\n<p class=\"error\">{}</p>\n<p><a href=\"/search\">Search</a> · <a href=\"/themes\">Themes</a></p>",
                code.canonical_reason().unwrap_or("Error"),
                esc(failure.message())
            );
            (code, page("Error", Nav::Search, None, &body))
        }
    };
    with_headers((code, body).into_response(), "text/html; charset=utf-8")
}

fn json_response(answer: Result<String, Failure>) -> Response {
    let (code, body) = match answer {
        Ok(body) => (StatusCode::OK, body),
        Err(failure) => {
            let body = serde_json::json!({ "error": failure.message() });
            (status(&failure), format!("{body}\n"))
        }
    };
    with_headers((code, body).into_response(), "application/json")
}

async fn search_page(State(state): State<AppState>, query: QueryArgs) -> Response {
    html_response(match params(query) {
        Ok(p) => state.run(move |s| search::render(s, &p)).await,
        Err(e) => Err(e),
    })
}

async fn themes_page(State(state): State<AppState>, query: QueryArgs) -> Response {
    html_response(match params(query) {
        Ok(p) => state.run(move |s| themes::overview(s, &p)).await,
        Err(e) => Err(e),
    })
}

async fn theme_page(State(state): State<AppState>, id: PathArg, query: QueryArgs) -> Response {
    html_response(match (path(id), params(query)) {
        (Ok(id), Ok(p)) => state.run(move |s| themes::theme(s, &id, &p)).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    })
}

async fn report_page(State(state): State<AppState>, id: PathArg, query: QueryArgs) -> Response {
    html_response(match (path(id), params(query)) {
        (Ok(id), Ok(p)) => state.run(move |s| report::render(s, &id, &p)).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    })
}

/// An API endpoint without a path argument.
macro_rules! api_endpoint {
    ($name:ident, $call:path) => {
        async fn $name(State(state): State<AppState>, query: QueryArgs) -> Response {
            json_response(match params(query) {
                Ok(p) => state.run(move |s| $call(s, &p)).await,
                Err(e) => Err(e),
            })
        }
    };
}

api_endpoint!(api_search, api::search);
api_endpoint!(api_facets, api::facets);
api_endpoint!(api_themes, api::themes);
api_endpoint!(api_findings, api::findings);
api_endpoint!(api_report, api::report);
api_endpoint!(api_trends, api::trends);

async fn api_theme(State(state): State<AppState>, id: PathArg, query: QueryArgs) -> Response {
    json_response(match (path(id), params(query)) {
        (Ok(id), Ok(p)) => state.run(move |s| api::theme(s, &id, &p)).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    })
}

async fn api_report_view(State(state): State<AppState>, id: PathArg, query: QueryArgs) -> Response {
    json_response(match (path(id), params(query)) {
        (Ok(id), Ok(p)) => state.run(move |s| api::report_view(s, &id, &p)).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    })
}
