/** The dialect-neutral part of an authorize (Stratum v1 `mining.authorize`). */
export interface AuthorizeRequest {
  /** worker name, usually "account.rig" */
  workerName: string;
  /** the password as sent; not checked by the default authorizer */
  password: string;
}
