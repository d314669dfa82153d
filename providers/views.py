from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ActionRefused

from . import services
from .access import access_provider, ensure_import_access
from .forms import DirectoryImportForm, DirectorySearchForm
from .selectors import providers_directory


@require_GET
def provider_list(request):
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v}
    page = Paginator(
        providers_directory(
            search=filters.get("q", ""),
            district=filters.get("district", ""),
            service_type=filters.get("service_type", ""),
        ),
        25,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "providers/provider_list.html",
        {
            "form": form,
            "page_obj": page,
            "querystring": urlencode(filters),
            "searched": bool(filters),
            "can_import": services.can_import_providers(request.user),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def provider_detail(request, provider_id: int):
    provider = access_provider(request.user, provider_id)
    return render(request, "providers/provider_detail.html", {"provider": provider})


@require_http_methods(["GET", "POST"])
def provider_import(request):
    ensure_import_access(request.user)
    posted = request.method == "POST"
    form = DirectoryImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data["directory"]
        try:
            result = services.import_provider_directory(upload.read(), acting_user=request.user, source=upload.name)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            if result.imported and not result.reading.notes:
                messages.success(request, f"{result.summary} From {upload.name}.")
                return redirect("providers:list")
            if result.imported:  # stay, to show the terms left out
                messages.success(request, f"{result.summary} From {upload.name}. Some terms were not used: see below.")
            for error in result.reading.file_errors:
                form.add_error("directory", error)
            if result.reading.problems:
                count = len(result.reading.problems)
                form.add_error(
                    None,
                    f"{count} of {result.reading.record_count} "
                    f"record{'s' if result.reading.record_count != 1 else ''} in the file "
                    f"{'have' if count != 1 else 'has'} problems. Nothing has been imported: "
                    "fix every record listed below and upload the file again.",
                )
    return render(
        request,
        "providers/import.html",
        {
            "form": form,
            "problems": result.reading.problems if result else [],
            "notes": result.reading.notes if result else [],
        },
        status=400 if form.errors else 200,
    )
