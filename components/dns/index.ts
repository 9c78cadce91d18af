export { ExternalDns, ExternalDnsArgs, EXTERNAL_DNS_NAMESPACE, EXTERNAL_DNS_SERVICE_ACCOUNT } from "./externalDns";
