from django.contrib import admin

from civic311.geo.models import District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "name"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["boundary", "min_lat", "max_lat", "min_long", "max_long"]
