# Managed by goldentooth (setup_vault). Storage is in storage.hcl, the service environment in vault.env (0600).
ui                                  = true
cluster_name                        = "goldentooth"
api_addr                            = "https://10.77.0.11:8200"
cluster_addr                        = "https://10.77.0.11:8201"
disable_mlock                       = true
enable_response_header_raft_node_id = true
log_level                           = "info"

listener "tcp" {
  address                            = "10.77.0.11:8200"
  cluster_address                    = "10.77.0.11:8201"
  tls_cert_file                      = "/opt/vault/tls/tls.crt"
  tls_key_file                       = "/opt/vault/tls/tls.key"
  tls_client_ca_file                 = "/etc/ssl/certs/goldentooth.pem"
  tls_min_version                    = "tls12"
  tls_require_and_verify_client_cert = false

  telemetry {
    unauthenticated_metrics_access = true
  }
}

telemetry {
  prometheus_retention_time          = "24h"
  disable_hostname                   = true
  usage_gauge_period                 = "10m"
  maximum_gauge_cardinality          = 500
  enable_hostname_label              = true
  lease_metrics_epsilon              = "1h"
  num_lease_metrics_buckets          = 168
  add_lease_metrics_namespace_labels = false
  filter_default                     = true
}
