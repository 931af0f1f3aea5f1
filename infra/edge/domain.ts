/**
 * Domain: the API's stable name. A REGIONAL API Gateway custom domain (TLS 1.2 minimum, IPv4 and
 * IPv6), mapped at its root to the stage — so `https://<domain>/notes` is the stage's `/notes` —
 * and, when a Route 53 hosted zone is given, A and AAAA alias records to it. The mobile binary
 * then never holds an execute-api URL that changes when the REST API is replaced.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DomainArgs {
  /** Hostname, e.g. `api.example.com` (validated by config). */
  domainName: string;
  /** ACM certificate for the hostname, in the stack's region. */
  certificateArn: string;
  /** Route 53 zone for the alias records; undefined = create the DNS records yourself. */
  hostedZoneId: string | undefined;
  /** The REST API and stage served at the domain's root. */
  restApiId: pulumi.Input<string>;
  stageName: pulumi.Input<string>;
}

export class Domain extends pulumi.ComponentResource {
  readonly domainName: aws.apigateway.DomainName;
  readonly mapping: aws.apigateway.BasePathMapping;
  readonly aliasRecords: readonly aws.route53.Record[];
  /** `https://<domain>`: the API's URL. */
  readonly url: string;
  /** What DNS must point at (a CNAME target, or an alias in the target zone). */
  readonly target: pulumi.Output<{ name: string; zoneId: string }>;

  constructor(name: string, args: DomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Domain", name, {}, opts);

    this.domainName = new aws.apigateway.DomainName(
      `${name}-name`,
      {
        domainName: args.domainName,
        regionalCertificateArn: args.certificateArn,
        endpointConfiguration: { types: "REGIONAL", ipAddressType: "dualstack" },
        securityPolicy: "TLS_1_2",
      },
      { parent: this },
    );

    // No basePath: the whole domain is this stage, so paths are the route table's paths.
    this.mapping = new aws.apigateway.BasePathMapping(
      `${name}-mapping`,
      {
        domainName: this.domainName.domainName,
        restApi: args.restApiId,
        stageName: args.stageName,
      },
      { parent: this },
    );

    this.target = pulumi
      .all([this.domainName.regionalDomainName, this.domainName.regionalZoneId])
      .apply(([targetName, zoneId]) => ({ name: targetName, zoneId }));

    const hostedZoneId = args.hostedZoneId;
    // A and AAAA: the domain is dual-stack, so IPv6-only mobile networks reach it without NAT64.
    this.aliasRecords =
      hostedZoneId === undefined
        ? []
        : (["A", "AAAA"] as const).map(
            (type) =>
              new aws.route53.Record(
                `${name}-${type.toLowerCase()}`,
                {
                  zoneId: hostedZoneId,
                  name: this.domainName.domainName,
                  type,
                  aliases: [{ name: this.domainName.regionalDomainName, zoneId: this.domainName.regionalZoneId, evaluateTargetHealth: false }],
                },
                { parent: this },
              ),
          );

    this.url = `https://${args.domainName}`;
    this.registerOutputs({ url: this.url, target: this.target });
  }
}
