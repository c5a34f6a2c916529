# Managed by goldentooth (setup_consul). The gossip key and this agent's ACL tokens are in secrets.hcl.
datacenter     = "dc1"
domain         = "consul"
node_name      = "erenford"
data_dir       = "/opt/consul"
bind_addr      = "10.4.0.14"
advertise_addr = "10.4.0.14"
# HTTPS and DNS on the node address and loopback; plain HTTP (Vault's storage, Nomad, the CLI) on loopback only.
client_addr    = "127.0.0.1 10.4.0.14"
retry_join     = ["10.4.0.14","10.4.0.15","10.4.0.16"]
log_level      = "INFO"

server           = true
bootstrap_expect = 3

ui_config {
  enabled = true
  metrics_provider = "prometheus"
  metrics_proxy {
    base_url = "http://10.4.0.10:9090"
  }
}

connect {
  enabled = true
}

addresses {
  http = "127.0.0.1"
}

ports {
  http     = 8500
  https    = 8501
  grpc     = 8502
  grpc_tls = 8503
  dns      = 8600
}

tls {
  defaults {
    ca_file         = "/etc/ssl/certs/goldentooth.pem"
    cert_file       = "/etc/consul.d/certs/tls.crt"
    key_file        = "/etc/consul.d/certs/tls.key"
    verify_incoming = true
    verify_outgoing = true
    tls_min_version = "TLSv1_2"
  }
  internal_rpc {
    verify_server_hostname = true
  }
}

auto_encrypt {
  allow_tls = true
}

acl {
  enabled                  = true
  default_policy           = "deny"
  down_policy              = "extend-cache"
  enable_token_persistence = false
}

telemetry {
  prometheus_retention_time = "60s"
  disable_hostname          = true
  enable_host_metrics       = true
}
