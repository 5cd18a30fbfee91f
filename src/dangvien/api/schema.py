"""The OpenAPI schema states every answer an operation can give, errors included, so clients
(and the schemathesis run of the test suite) can rely on it."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Lỗi: `detail` là thông báo tiếng Việt; lỗi nhập liệu theo từng trường.",
    "properties": {"detail": {"type": "string"}, "field": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Dữ liệu hoặc tham số không hợp lệ.",
    "401": "Chưa đăng nhập.",
    "403": "Không có quyền, hoặc ngoài phạm vi quản lý.",
    "404": "Không tìm thấy trong phạm vi của bạn.",
}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
