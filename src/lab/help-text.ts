/** Help text shared by the lab commands. Imported by command modules at start-up: keep it free of imports. */
export const LAB_DEFAULT_INVENTORY = 'inventory/lab'

export const LAB_EXIT_CODES = `EXIT CODES
  0    done (lab status: always 0, the state column says whether nodes run)
  1    the lab could not run here (not root, missing tools), a node did not boot, or the lab is not running
  2    usage error (bad flag or argument, unknown node)
  3    inventory invalid (a host without a lab address in 10.77.0.0/24)
  130  interrupted (Ctrl-C)`

export const LAB_PATHS_HELP = `PATHS
  /var/lib/goldentooth/lab/            rootfs cache (one Debian base per package list), id_ed25519, known_hosts
  /run/goldentooth/lab/ssh_config      ssh -F config for every running node (Ansible, pssh, GNU parallel + ssh)
  /run/goldentooth/lab/ssh/ADDR.sock   per-node socket, forwarded to ADDR:22 inside network namespace goldentooth-lab
  /var/cache/goldentooth/lab/          apt-cacher-ng cache behind the nodes' apt proxy (10.77.0.1:3142)`
