check 'cf api' "api\.$CF_DOMAIN" true #> The CLI does not point at the platform's API yet.
