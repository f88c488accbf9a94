"""The change review: what an edit of a config will do in the cloud, said before any plan (issue 20).

Pure Python (no cdktf, no jsii): `review_lines(baseline, new)` and `classify(baseline, new)` take
two synths of one config, each `{stack id: Terraform JSON}`.
"""

from review.changes import Change, classify, review_lines

__all__ = ["Change", "classify", "review_lines"]
