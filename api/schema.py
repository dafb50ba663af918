"""OpenAPI generation: parameters come from each view's strict parameter spec.

The schema is OpenAPI 3.0, read by strict validators and client generators,
so `strict_nullable` rewrites what 3.0 does not mean (below) and every 429
documents its Retry-After.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api import serializers

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    type=int,
    location=OpenApiParameter.HEADER,
    response=[429],
    description="seconds until the client may try again",
)

ERROR_MEANINGS = {
    400: "bad input: `field` names what to mend",
    401: "no manage token, or one that is unknown or was deleted",
    404: "nothing published under this key",
    429: "too many requests: wait `Retry-After` seconds",
}


def error_responses(*statuses: int) -> dict:
    """`{"error": {"code", "field", "message"}}` answers for `extend_schema(responses=...)`."""
    return {
        status: OpenApiResponse(serializers.Error, description=ERROR_MEANINGS[status])
        for status in statuses
    }


class ApiSchema(AutoSchema):
    """Reads `param_spec()` and `response_serializer` from our views.

    A parser's `openapi` is the schema of its value; `"required": True` in it marks a
    parameter that may not be left out (search's `q`).
    """

    def get_override_parameters(self):
        spec_of = getattr(self.view, "param_spec", None)
        if spec_of is None:
            return super().get_override_parameters()
        parameters = []
        for name, parser in sorted(spec_of().items()):
            schema = dict(getattr(parser, "openapi", {"type": "string"}))
            # Not part of the value's schema: whether the parameter may be left out.
            required = schema.pop("required", False)
            parameters.append(
                OpenApiParameter(
                    name,
                    location=OpenApiParameter.QUERY,
                    required=required,
                    description=schema.get("description", ""),
                    type=schema,
                )
            )
        return [*parameters, RETRY_AFTER]

    def get_auth(self):
        """A view's `openapi_auth` (the kiosk's token), else what DRF's authentication says."""
        declared = getattr(self.view, "openapi_auth", None)
        return declared if declared is not None else super().get_auth()

    def get_operation_id(self):
        parts = [part for part in self.path.strip("/").split("/") if not part.startswith("{")]
        resource = "_".join(parts).replace("-", "_")
        if self.method == "POST":
            return f"{resource}_create"
        return f"{resource}_{'retrieve' if '{key}' in self.path else 'list'}"

    def get_request_serializer(self):
        return getattr(self.view, "request_serializer", None) or super().get_request_serializer()

    def get_response_serializers(self):
        ok = getattr(self.view, "response_serializer", None)
        if ok is None:
            return super().get_response_serializers()
        responses = {"200": ok, "304": None, "400": serializers.Error, "429": serializers.Error}
        responses.update(getattr(self.view, "extra_responses", {}))
        return responses


def _null_branch(reference: dict, components: dict) -> dict:
    """The schema of null beside `reference`: of the same type, nullable, and only null."""
    name = reference["$ref"].rsplit("/", 1)[-1]
    kind = components.get(name, {}).get("type", "object")
    return {"type": kind, "nullable": True, "enum": [None]}


def _strict(node, components: dict):
    if isinstance(node, list):
        return [_strict(entry, components) for entry in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict(value, components) for key, value in node.items()}
    wrapped = node.get("allOf")
    if node.get("nullable") is True and "type" not in node and wrapped and len(wrapped) == 1:
        del node["nullable"], node["allOf"]
        node["oneOf"] = [wrapped[0], _null_branch(wrapped[0], components)]
    return node


def strict_nullable(result, generator, request, public):
    """Postprocessing hook: nullable references and every 429's Retry-After, as 3.0 means them.

    drf-spectacular writes a nullable nested object as `allOf: [$ref]` with
    `nullable: true` and no `type`; OpenAPI 3.0.3 says `nullable` means
    nothing without `type`, so strict validators refuse the `null` that is
    served. It becomes `oneOf: [$ref, {type, nullable, enum: [null]}]`.
    """
    components = result.get("components", {}).get("schemas", {})
    result = _strict(result, components)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            limited = (
                operation.get("responses", {}).get("429") if isinstance(operation, dict) else None
            )
            if limited is not None:
                limited.setdefault("headers", {})["Retry-After"] = {
                    "schema": {"type": "integer"},
                    "description": RETRY_AFTER.description,
                }
    return result
