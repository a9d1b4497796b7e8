// The settings of one IdP connection, shared by the runtime examples in this folder. The
// certificate is the Okta-shaped test IdP's of vectors/keys/okta.crt.pem (test data: its private
// key is public); use your IdP's signing certificate instead.
export const config = {
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs' },
  idp: {
    entityId: 'http://www.okta.com/exk1fxg2ykKOIqGfd5d7',
    ssoUrl: 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml',
    certificates: [`
      -----BEGIN CERTIFICATE-----
      MIIDBjCCAe6gAwIBAgIQbuwI0XZ8L8KVUexVIBguWzANBgkqhkiG9w0BAQsFADA1
      MTMwMQYDVQQDEypleGFtcGxlLm9rdGEuY29tIChzYW1sLWNvcmUgdGVzdCBPa3Rh
      IElkUCkwHhcNMjUwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjA1MTMwMQYDVQQD
      EypleGFtcGxlLm9rdGEuY29tIChzYW1sLWNvcmUgdGVzdCBPa3RhIElkUCkwggEi
      MA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDGUbjyDxIEWOvUGWb6A9ttT0jQ
      jpqHbX8ogdMTJ645wpCuOiuMaFFufFt9QlN0vXf+8uLS3/Tc9xxNfjWYtkJUcogT
      S/N8i8VPwvBhBf/zooUG7tznUJUMxr48kVCdkVbz/vZ6wPSdEs0MRx3+6/+mj1Jo
      UDHn1Qqmkmfd4fR8yrivKsMPFWuPo+y5xagYMdQ77UJn5U6wjKn9L0swJfuu5hpH
      sZTkE+AuXtFEXybqby9/gQYaHTU84L7Vpec2wqeqo8dqoseBQTkCb7Co/Hc2Kg4v
      cWsRyIBMoy1yVg/SIzZuxyn5WPvPLBEC89nP8nsgj+/jK3/g0CNaAnSEFqp9AgMB
      AAGjEjAQMA4GA1UdDwEB/wQEAwIHgDANBgkqhkiG9w0BAQsFAAOCAQEAsIjJsQhb
      G82xXFeDzlWmNyYkZ4K+Z2SeU1D/6ZwZciyPLptixa0SroqYYw47f1JzxeW3VXG7
      CfGoCLKbdX86qljVk+oiijOZPlm8iV6KzbBa4LIrw+KuVBAnPH05UxtJZ/rw8EXz
      UaIzPEOi2ByRVe8wfaXI610l2dirNZJ48d3Dt1k13k+H8fDB0RBtAezJoz95qbJF
      Uz/wg1d6K5ola7Eg3RONp986OIF5Y/etISieLsC3m25SVJjWno+2HAE0bM4VPeCM
      Q0VfViRz7AcA1H01G03a6uwoyYbv7cN2SD8G5AnAdXJ1V0IYTOvDrvFpNn2wsJ0/
      yFmWuulRzH68Gg==
      -----END CERTIFICATE-----    `],
  },
};
