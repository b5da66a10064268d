"""Back office of the portal's own records: imports are read here (the staff pages run them), never edited."""

from django.contrib import admin

from products.rules import staff_province_id

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "status", "province", "uploaded_by", "created_at", "row_count")
    list_filter = ("kind", "status", "province")
    search_fields = ("original_name", "sha256", "uploaded_by__email")
    list_select_related = ("province", "uploaded_by")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        province = staff_province_id(request.user)
        return qs if province is None else qs.filter(province_id=province)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
