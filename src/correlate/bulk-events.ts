// Bulk leasequery events (RFC 5460): defined with the bulk correlator.
export interface BulkEvents {}
