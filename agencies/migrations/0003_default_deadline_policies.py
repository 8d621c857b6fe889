"""The default deadline policies of DOMAIN.md; provinces edit them in the admin."""

from datetime import date

from django.db import migrations

# key, name, days, working, complex, remote, complex+remote, ext days, max ext, from, basis
POLICIES = [
    ("petition.handling", "Xử lý đơn (kiến nghị, phản ánh)", 10, True, None, None, None, None, 0,
     date(2021, 8, 15), "Thông tư 05/2021/TT-TTCP"),
    ("complaint1.acceptance", "Thụ lý khiếu nại lần đầu", 10, True, None, None, None, None, 0,
     date(2012, 7, 1), "Luật Khiếu nại 2011, Điều 27"),
    ("complaint1.acceptance", "Thụ lý khiếu nại lần đầu", 7, True, None, None, None, None, 0,
     date(2026, 7, 1), "Luật Khiếu nại sửa đổi (Luật 136/2025/QH15); Nghị định 155/2026 [chưa xác minh]"),
    ("complaint1.resolution", "Giải quyết khiếu nại lần đầu", 30, False, 45, 45, 60, None, 0,
     date(2012, 7, 1), "Luật Khiếu nại 2011, Điều 28"),
    ("complaint2.acceptance", "Thụ lý khiếu nại lần hai", 10, True, None, None, None, None, 0,
     date(2012, 7, 1), "Luật Khiếu nại 2011, Điều 36"),
    ("complaint2.acceptance", "Thụ lý khiếu nại lần hai", 7, True, None, None, None, None, 0,
     date(2026, 7, 1), "Luật Khiếu nại sửa đổi (Luật 136/2025/QH15) [chưa xác minh]"),
    ("complaint2.resolution", "Giải quyết khiếu nại lần hai", 45, False, 60, 60, 70, None, 0,
     date(2012, 7, 1), "Luật Khiếu nại 2011, Điều 37"),
    ("denunciation.initial", "Xử lý ban đầu thông tin tố cáo", 7, True, 10, None, None, None, 0,
     date(2019, 1, 1), "Luật Tố cáo 2018, Điều 24"),
    ("denunciation.transfer", "Chuyển tố cáo không thuộc thẩm quyền", 5, True, None, None, None,
     None, 0, date(2019, 1, 1), "Luật Tố cáo 2018, Điều 24 khoản 2"),
    ("denunciation.resolution", "Giải quyết tố cáo", 30, False, None, None, None, 30, 2,
     date(2019, 1, 1), "Luật Tố cáo 2018, Điều 30"),
    ("recommendation.answer", "Trả lời kiến nghị, phản ánh", 30, False, None, None, None, 15, 1,
     date(2021, 8, 15), "Quy định của tỉnh (không có quy định chung) [chưa xác minh]"),
    ("voter.answer", "Trả lời kiến nghị cử tri (HĐND)", 30, False, None, None, None, None, 0,
     date(2016, 7, 1), "Luật Hoạt động giám sát 2015, Điều 74; NQLT 72/2025 [chưa xác minh]"),
    ("voter.answer.national", "Trả lời kiến nghị cử tri (Quốc hội)", 60, False, None, None, None,
     None, 0, date(2020, 10, 1), "Quyết định 30/2020/QĐ-TTg"),
]


def create(apps, schema_editor):
    DeadlinePolicy = apps.get_model("agencies", "DeadlinePolicy")
    for key, name, days, working, cx, rm, cxrm, ext, max_ext, start, basis in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            key=key,
            effective_from=start,
            defaults={
                "name": name,
                "days": days,
                "working_days": working,
                "complex_days": cx,
                "remote_days": rm,
                "complex_remote_days": cxrm,
                "extension_days": ext,
                "max_extensions": max_ext,
                "legal_basis": basis,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("agencies", "DeadlinePolicy").objects.filter(
        key__in={p[0] for p in POLICIES}
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_deadline_policy")]
    operations = [migrations.RunPython(create, remove)]
