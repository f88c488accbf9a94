"""The rules of change: what an edit, a delete and time do in the model (tests/terraform/README.md,
"Change", shows the same table with the test of each). They live where they act: the stand-in's
schema and plan (behaviour.py, suppress.py), the delete effects and tag defaults of the cloud
models (gcp.py, oci.py), the clock (clock.py, world.py)."""

from __future__ import annotations

from . import Rule

ORACLE = "https://docs.oracle.com/en-us/iaas/Content"

RULES = (
    Rule("change-force-new", "a changed ForceNew argument plans a replacement (bucket `name`, `namespace`, `storage_tier`; repository `format`, `mode`, `kms_key_name`, `location`; every argument of a replication policy; a policy's `compartment_id` and `name`; ...), and so does a change inside a ForceNew block (a repository's `remote_repository_config` but its `disable_upstream_validation`, a log's `configuration` but its `source.parameters`, an IAM member's `condition`): the `tf` library asks only attributes, so the stand-in adds those blocks to `requires_replace` itself",
         "provider-behaviour.json `force_new` (e.g. oracle/oci v7.19.0 `internal/service/objectstorage/objectstorage_bucket_resource.go`; magic-modules `mmv1/products/artifactregistry/Repository.yaml`)"),
    Rule("change-optional-computed", "an Optional+Computed argument removed from the config plans no change: the cloud keeps its value (bucket `kms_key_id`, `freeform_tags`, `defined_tags`, `versioning`, ...); so does an Optional+Computed block (a repository's `vulnerability_scanning_config`): the stand-in plans the prior block, and says its plans are an SDKv2 provider's (`legacy_type_system`), as the real one does, so Terraform takes a block the config lacks",
         "provider-behaviour.json `on_remove_from_config: no_change` (terraform-plugin-sdk v2: the prior value is kept for a computed argument absent from config; its gRPC server sets `UnsafeToUseLegacyTypeSystem`)"),
    Rule("change-diff-suppress", "a configured value that differs from the state only as its argument's DiffSuppressFunc ignores plans no change, and a ForceNew one no replacement: repository `format` and IAM `member` in another case (principals and allUsers excepted), cleanup durations in another unit (`30d` for `2592000s`), upstream policies reordered, `projects/p` for `p`, a repository's name for its path, an IAM policy's JSON reordered, a log's `source_type` in another case, defined tag keys in another case; inside OCI's retention and lifecycle rules a set's hash reads the raw value, so there it never applies",
         "provider-behaviour.json `diff_suppress`, each function read at the pinned tag (model/suppress.py cites file:line: e.g. google v6.50.0 `google/tpgresource/common_diff_suppress.go:41`, `google/tpgiamresource/resource_iam_member.go:34`; oracle/oci v7.19.0 `internal/tfresource/crud_helpers.go:606`); terraform-plugin-sdk v2 `helper/schema` (a suppressed diff keeps the prior value)"),
    Rule("oci-default-tags", "every bucket, policy, log group and log OCI creates gets the tenancy's tag defaults `Oracle-Tags.CreatedBy` (its creator) and `Oracle-Tags.CreatedOn`, which the provider reads into the state; its `ignore_defined_tags` keeps the keys it lists out of every plan, either way; without it, a config that sets `defined_tags` plans their removal after the create (and the update removes them: they are tags like any other)",
         f"{ORACLE}/Tagging/Concepts/understandingautomaticdefaulttags.htm; oracle/terraform-provider-oci#1283, #1394; v7.19.0 `internal/tfresource/tags_helper.go:46` (DefinedTagsDiffSuppressFunction), `internal/provider/provider.go:248`"),
    Rule("oci-bucket-not-empty", "a bucket holding objects, object versions or uncommitted multipart uploads is not deleted: 409 BucketNotEmpty (nor while it has a replication policy: 409, code inferred); so the replacement of a non-empty bucket (a changed `name`, `namespace` or `storage_tier`) fails at its first step, the delete: the old bucket stays, no new one is made",
         f"{ORACLE}/Object/Tasks/managingbuckets_topic-To_delete_a_bucket.htm ('You can't delete a bucket that contains any of the following resources'); the 409: oracle/terraform-provider-oci#2071; provider-behaviour.json (bucket `delete`: the provider empties nothing)"),
    Rule("delete-repository", "deleting a `google_artifact_registry_repository` succeeds and deletes every artifact in it; the ledger keeps what went (`deleted_artifacts`)",
         "https://cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories/delete ('Deletes a repository and all of its contents'); https://docs.cloud.google.com/artifact-registry/docs/repositories/delete-repos"),
    Rule("delete-oci-policy", "deleting an `oci_identity_policy` revokes its statements at once: the next call that needed one (a lifecycle policy, a bucket's key, a replication policy) is refused; with the clock too (a stricter reading than 'typically within 10 seconds': nothing may count on a grant after its delete)",
         "DeletePolicy (oci-go-sdk `identity/identity_client.go`): 'The deletion takes effect typically within 10 seconds.'"),
    Rule("delete-iam-policy", "deleting `google_artifact_registry_repository_iam_policy` writes an empty policy: every binding goes, those made outside Terraform too",
         "hashicorp/terraform-provider-google v6.50.0 `google/tpgiamresource/resource_iam_policy.go` (Delete)"),
    Rule("delete-iam-member", "deleting an `_iam_member` subtracts that member from its role's binding; others stay",
         "`google/tpgiamresource/resource_iam_member.go` (Delete)"),
    Rule("clock-oci-policy", "a new OCI policy is in force 10 s after it is made",
         '"typically within 10 seconds", OCI IAM, Policy Basics'),
    Rule("clock-gcp-api", "an enabled API answers 30 s after it is enabled",
         'hashicorp/terraform-provider-google guide google_project_service, "Newly activated service errors" (eventually consistent; 30 s in its example)'),
    Rule("clock-gcp-agent", "a new service agent can be granted a role 60 s after it is made",
         'IAM, Create service accounts ("wait 60 seconds or more")'),
    Rule("clock-gcp-grant", "an IAM grant is in force 120 s after it is made",
         'https://cloud.google.com/iam/docs/access-change-propagation ("typically propagate in 2 minutes")'),
    Rule("clock-time-sleep", "only a `time_sleep` moves the clock, by its `create_duration`; what one apply creates without a wait happens at one instant",
         "hashicorp/terraform-provider-time `internal/provider/resource_time_sleep.go` (Create sleeps)"),
)  # fmt: skip
