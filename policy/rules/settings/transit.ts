import { Row, is, oneOf } from "./engine";

/** Load-balancer policies that allow TLS 1.2 and newer only (ELB's predefined policies, read 2026-11-27). */
export const TLS12_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
];
const CLOUDFRONT_TLS12 = ["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];
const HTTPS_VIEWERS = ["redirect-to-https", "https-only"];

/**
 * Encryption in transit: TLS 1.2+ listeners on load balancers (both token spellings), HTTPS to
 * viewers and origins and a TLS 1.2 floor on CloudFront, TLS on caches, search, Kafka, API
 * domains, DMS endpoints and Transfer servers. checkov CKV_AWS_2, 103, 34, 174, 310, 30, 83, 6,
 * 38, 91, 206; cdk-nag ELB2/EC2, CFR4, OS4, MSK2, read 2026-11-27.
 */
export const IN_TRANSIT: Row[] = [
  ...["aws:lb/listener:Listener", "aws:alb/listener:Listener"].flatMap((type): Row[] => [
    { type, path: "sslPolicy", expect: oneOf(...TLS12_POLICIES), when: { protocol: "HTTPS" } },
    { type, path: "sslPolicy", expect: oneOf(...TLS12_POLICIES), when: { protocol: "TLS" } },
  ]),
  { type: "aws:elb/loadBalancer:LoadBalancer", path: "listeners[].lbProtocol", expect: oneOf("https", "ssl", "HTTPS", "SSL") },
  { type: "aws:cloudfront/distribution:Distribution", path: "defaultCacheBehavior.viewerProtocolPolicy", expect: oneOf(...HTTPS_VIEWERS) },
  { type: "aws:cloudfront/distribution:Distribution", path: "orderedCacheBehaviors[].viewerProtocolPolicy", expect: oneOf(...HTTPS_VIEWERS) },
  { type: "aws:cloudfront/distribution:Distribution", path: "viewerCertificate.minimumProtocolVersion", expect: oneOf(...CLOUDFRONT_TLS12) },
  { type: "aws:cloudfront/multitenantDistribution:MultitenantDistribution", path: "defaultCacheBehavior.viewerProtocolPolicy", expect: oneOf(...HTTPS_VIEWERS) },
  { type: "aws:cloudfront/multitenantDistribution:MultitenantDistribution", path: "viewerCertificate.minimumProtocolVersion", expect: oneOf(...CLOUDFRONT_TLS12) },
  { type: "aws:cloudfront/distribution:Distribution", path: "origins[].customOriginConfig.originProtocolPolicy", expect: is("https-only") },
  { type: "aws:cloudfront/distribution:Distribution", path: "origins[].customOriginConfig.originSslProtocols[]", expect: oneOf("TLSv1.2") },
  { type: "aws:elasticache/replicationGroup:ReplicationGroup", path: "transitEncryptionEnabled", expect: is(true) },
  { type: "aws:appsync/apiCache:ApiCache", path: "transitEncryptionEnabled", expect: is(true) },
  { type: "aws:elasticache/cluster:Cluster", path: "transitEncryptionEnabled", expect: is(true), when: { engine: "memcached" } },
  { type: "aws:opensearch/domain:Domain", path: "domainEndpointOptions.enforceHttps", expect: is(true) },
  { type: "aws:opensearch/domain:Domain", path: "domainEndpointOptions.tlsSecurityPolicy", expect: oneOf("Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10") },
  { type: "aws:opensearch/domain:Domain", path: "nodeToNodeEncryption.enabled", expect: is(true) },
  { type: "aws:elasticsearch/domain:Domain", path: "domainEndpointOptions.enforceHttps", expect: is(true) },
  { type: "aws:elasticsearch/domain:Domain", path: "nodeToNodeEncryption.enabled", expect: is(true) },
  { type: "aws:msk/cluster:Cluster", path: "encryptionInfo.encryptionInTransit.clientBroker", expect: oneOf("TLS", undefined) },
  { type: "aws:apigateway/domainName:DomainName", path: "securityPolicy", expect: oneOf("TLS_1_2", "SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS13_1_2_2021_06") },
  { type: "aws:apigatewayv2/domainName:DomainName", path: "domainNameConfiguration.securityPolicy", expect: is("TLS_1_2") },
  { type: "aws:dms/endpoint:Endpoint", path: "sslMode", expect: oneOf("require", "verify-ca", "verify-full") },
  { type: "aws:transfer/server:Server", path: "protocols[]", expect: oneOf("SFTP", "FTPS", "AS2") },
];
