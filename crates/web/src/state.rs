//! What every handler can reach.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::Limiter;

/// Shared state: the hub, the metrics registry and the login/key rate limiter.
#[derive(Clone)]
pub struct AppState {
    /// The application.
    pub hub: hub::Hub,
    /// Renders `/metrics`; `None` when another recorder is installed (tests).
    pub metrics: Option<PrometheusHandle>,
    /// Limits failed logins and key authentications.
    pub limiter: Arc<Limiter>,
    /// Whether cookies get the `Secure` flag (when the hub is reached over https).
    pub secure_cookies: bool,
    /// This hub as a Peppol access point; `None` when no Peppol certificate is configured,
    /// and then `/as4` answers 503.
    pub access_point: Option<Arc<peppol::as4::AccessPoint>>,
    /// How this access point reaches the others (SML, SMP, AS4 sending); `None` when not
    /// configured, and then sending and recipient lookups answer 503.
    pub network: Option<Arc<peppol::network::Network>>,
}

impl AppState {
    /// State around `hub`.
    pub fn new(hub: hub::Hub, metrics: Option<PrometheusHandle>) -> AppState {
        let secure_cookies = hub.config().base_url.starts_with("https://");
        AppState {
            hub,
            metrics,
            limiter: Arc::new(Limiter::default()),
            secure_cookies,
            access_point: None,
            network: None,
        }
    }

    /// The same state, sending over `network`.
    pub fn with_network(mut self, network: peppol::network::Network) -> AppState {
        self.network = Some(Arc::new(network));
        self
    }

    /// The same state, acting as the Peppol access point `ap`.
    pub fn with_access_point(mut self, ap: peppol::as4::AccessPoint) -> AppState {
        self.access_point = Some(Arc::new(ap));
        self
    }
}
