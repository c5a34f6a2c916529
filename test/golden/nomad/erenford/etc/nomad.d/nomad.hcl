# Managed by goldentooth (setup_nomad). The gossip key and the Consul token are in secrets.hcl.
region     = "global"
datacenter = "dc1"
name       = "erenford"
data_dir   = "/opt/nomad/data"
plugin_dir = "/opt/nomad/plugins"
bind_addr  = "10.4.0.14"
log_level  = "INFO"

server {
  enabled          = true
  bootstrap_expect = 3
  heartbeat_grace  = "1h"

  server_join {
    retry_join = ["10.4.0.14","10.4.0.15","10.4.0.16"]
  }
}

client {
  enabled    = true
  node_class = "default"

  server_join {
    retry_join = ["10.4.0.14:4647","10.4.0.15:4647","10.4.0.16:4647"]
  }

  meta {
    arch = "aarch64"
    gpu  = "false"
  }
}

consul {
  address             = "127.0.0.1:8500"
  server_service_name = "nomad"
  client_service_name = "nomad-client"
  auto_advertise      = true
  server_auto_join    = true
  client_auto_join    = true
}

vault {
  enabled = true
  address = "https://10.4.0.14:8200"
  ca_file = "/etc/ssl/certs/goldentooth.pem"

  default_identity {
    aud = ["vault.io"]
    ttl = "1h"
  }
}

tls {
  http                   = true
  rpc                    = true
  ca_file                = "/etc/ssl/certs/goldentooth.pem"
  cert_file              = "/opt/nomad/certs/tls.crt"
  key_file               = "/opt/nomad/certs/tls.key"
  verify_server_hostname = true
  verify_https_client    = true
}

telemetry {
  collection_interval        = "1s"
  disable_hostname           = true
  prometheus_metrics         = true
  publish_allocation_metrics = true
  publish_node_metrics       = true
}

ui {
  enabled = true
}
