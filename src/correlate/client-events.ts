// Client session and UDP leasequery events (RFC 8415, RFC 5007, RFC 6853): defined with the session correlator.
export interface ClientEvents {}
