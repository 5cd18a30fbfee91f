"""API errors: a DomainError becomes 400 (403 for scope) with its Vietnamese message."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.queryparams import BadQuery
from dangvien.core.versions import StaleEdit, VersionRequired


def exception_handler(exc, context):
    if isinstance(exc, BadQuery):
        return Response({"detail": exc.message}, status=400)
    if isinstance(exc, StaleEdit):  # changed after the client read it, or read from another one
        body = {"detail": exc.message, "version": exc.current}
        return Response(body, status=412, headers={"ETag": f'"{exc.current}"'})
    if isinstance(exc, VersionRequired):  # an edit that did not say which version it read
        why = "«If-Match: *» khớp mọi phiên bản nên không chống ghi đè thay đổi của người khác; "
        detail = (
            f"Thiếu phiên bản đã đọc: {why if exc.any_version else ''}đọc tổ chức (GET) rồi gửi "
            "ETag của nó trong tiêu đề If-Match hoặc trong trường version."
        )
        return Response({"detail": detail}, status=428)
    if isinstance(exc, DomainError):
        code = status.HTTP_403_FORBIDDEN if isinstance(exc, ScopeDenied) else 400
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=code)
    return drf_exception_handler(exc, context)
