import { Row, is, oneOf, present } from "./engine";

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
  // Dedicated-IP (vip) custom SSL serves clients without SNI; FSBP CloudFront.8.
  { type: "aws:cloudfront/distribution:Distribution", path: "viewerCertificate.sslSupportMethod", expect: oneOf("sni-only", undefined) },
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
  // Round two (peer lists of 2026-12-01: checkov CKV_AWS_81, 97, 202, 211, 218, 220, 228, 239, 365, CKV2_AWS_51;
  // FSBP MSK.1, DynamoDB.7, ES.8, APIGateway.2; cdk-nag MSK3).
  { type: "aws:msk/cluster:Cluster", path: "encryptionInfo.encryptionInTransit.inCluster", expect: oneOf(true, undefined) },
  { type: "aws:dax/cluster:Cluster", path: "clusterEndpointEncryptionType", expect: is("TLS"), why: "DAX endpoints default to plain text" },
  { type: "aws:memorydb/cluster:Cluster", path: "tlsEnabled", expect: oneOf(true, undefined) },
  { type: "aws:elasticsearch/domain:Domain", path: "domainEndpointOptions.tlsSecurityPolicy", expect: oneOf("Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10") },
  { type: "aws:cloudsearch/domain:Domain", path: "endpointOptions.enforceHttps", expect: is(true) },
  { type: "aws:cloudsearch/domain:Domain", path: "endpointOptions.tlsSecurityPolicy", expect: is("Policy-Min-TLS-1-2-2019-07") },
  { type: "aws:ses/configurationSet:ConfigurationSet", path: "deliveryOptions.tlsPolicy", expect: is("Require"), why: "SES delivers over plain text when TLS is only optional" },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "volumes[].efsVolumeConfiguration.transitEncryption", expect: is("ENABLED") },
  { type: "aws:apigateway/stage:Stage", path: "clientCertificateId", expect: present, why: "the backend cannot tell API Gateway's requests from anyone else's" },
  // ACM's key algorithms of 2048 bits (RSA) or 256 (EC) and up: https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate-characteristics.html (FSBP ACM.2).
  { type: "aws:acm/certificate:Certificate", path: "keyAlgorithm", expect: oneOf("RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1", undefined) },
  { type: "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition", path: "networkConfig.enableInterContainerTrafficEncryption", expect: is(true) },
  // RDS CA bundles: rds-ca-2019 expired in 2024 (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html).
  ...["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"].map((type): Row => ({ type, path: "caCertIdentifier", expect: oneOf("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1", undefined) })),
  // checkov CKV_AWS_380 (TransferServerLatestPolicy.py, read 2026-12-01) wants a policy dated within 24 months,
  // and unset is TransferSecurityPolicy-2018-11. These are the pinned provider's names (transfer/server.d.ts)
  // dated 2025 or later, within that window on 2026-12-01; every policy AWS added from 2025 has post-quantum
  // key exchange (https://docs.aws.amazon.com/transfer/latest/userguide/security-policies.html, read 2026-12-01).
  // The window moves: review the list when the provider adds a policy.
  {
    type: "aws:transfer/server:Server",
    path: "securityPolicyName",
    expect: oneOf("TransferSecurityPolicy-2025-03", "TransferSecurityPolicy-FIPS-2025-03", "TransferSecurityPolicy-SshAuditCompliant-2025-02", "TransferSecurityPolicy-AS2Restricted-2025-07"),
    why: "unset is the 2018-11 policy, which still offers SHA-1 algorithms; older policies lack post-quantum key exchange",
  },
  // cdk-nag QS1 (QuicksightSSLConnections.ts: non-compliant only when sslProperties.disableSsl is true), read 2026-12-01.
  { type: "aws:quicksight/dataSource:DataSource", path: "sslProperties.disableSsl", expect: oneOf(false, undefined), why: "QuickSight would query the data source over plain text" },
];
