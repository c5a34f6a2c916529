import {base64Key} from '../../../engine/secrets.js'

/** A Consul or Nomad gossip key: base64 of an AES-128, -192 or -256 key (memberlist's ValidateKey). */
export const gossipKeyProblem = base64Key([16, 24, 32])
