"""HR's talent pool (人才库) and referral links (内推): the pool's people HR may see, invited to a job in one action;
a staff member's own referral links with a QR code, and how many applied and were hired through each."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import links, selectors
from ..models import Job, RejectionReason
from ..services import pool, sourcing
from ..waves.qr import qr_svg

hr_required = permission_required("screening.view_application", raise_exception=False)
PAGE_SIZE = 50


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip()[:100] for k in ("job", "q", "reason")}


@hr_required
def hr_pool(request):
    """The pool entries this person may see, filterable; selected ones (or all shown) invited to an open job."""
    filters = _filters(request)
    entries = selectors.pool_entries_list(user=request.user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = dict(RejectionReason.choices)
    for entry in page.object_list:
        entry.reason_label = reasons.get(entry.application.rejection_reason, "")
    visible = selectors.jobs_visible_to(request.user)
    context = {
        "page": page,
        "filters": filters,
        "jobs": visible.order_by("title"),
        "open_jobs": visible.filter(status=Job.Status.OPEN).order_by("title"),
        "reasons": RejectionReason.choices,
        "can_invite": request.user.has_perm("screening.change_application"),
        "query": request.GET.urlencode(),
    }
    return render(request, "hr/pool.html", context)


@hr_required
@permission_required("screening.change_application", raise_exception=True)
@require_http_methods(["POST"])
def hr_pool_invite(request):
    """Invite the chosen entries (or every entry the filters show) to the job: one action, one service call."""
    # a job this person may not see is not revealed (the form's select requires one)
    job = get_object_or_404(selectors.jobs_visible_to(request.user), slug=request.POST.get("job", ""))
    back = f"{reverse('hr:pool')}?{request.POST.get('return_query', '')}"
    if request.POST.get("scope") == "all":
        filters = {k: request.POST.get(f"filter_{k}", "").strip()[:100] for k in ("job", "q", "reason")}
        ids = list(selectors.pool_entries_list(user=request.user, **filters).values_list("pk", flat=True))
    else:
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if not ids:
        messages.error(request, _("请先勾选要邀请的人，或选择“邀请筛选出的全部”"))
        return redirect(back)
    try:
        invited = pool.pool_invite(job=job, entry_ids=ids, by=request.user, site=links.site_url(request))
    except pool.PoolError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, _("已向 %(n)s 人发出邀请") % {"n": len(invited)})
    if len(ids) > len(invited):
        text = _("%(n)s 人未邀请：已申请过这个职位、已被邀请过，或已退出人才库、已过期")
        messages.warning(request, text % {"n": len(ids) - len(invited)})
    return redirect(back)


@hr_required
@require_http_methods(["GET", "POST"])
def hr_referrals(request):
    """A staff member's own referral links: create one (every open job, or one), see each one's QR code and how
    many applied and were hired through it, end one."""
    if request.method == "POST":
        if request.POST.get("deactivate", "").isdigit():
            sourcing.referral_link_deactivate(pk=int(request.POST["deactivate"]), by=request.user)
            messages.success(request, _("内推链接已停用"))
        else:
            slug = request.POST.get("job", "")
            job = selectors.jobs_visible_to(request.user).filter(slug=slug).first() if slug else None
            try:
                if slug and job is None:
                    raise sourcing.ReferralError(_("只能为正在招聘的职位创建内推链接"))
                sourcing.referral_link_create(owner=request.user, job=job)
            except sourcing.ReferralError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已创建内推链接"))
        return redirect("hr:referrals")
    site = links.site_url(request)
    rows = []
    for link in selectors.referral_links_of(user=request.user):
        url = site + reverse("referral", args=[link.code])
        rows.append({"link": link, "url": url, "qr": qr_svg(url, scale=3) if link.active else ""})
    open_jobs = selectors.jobs_visible_to(request.user).filter(status=Job.Status.OPEN).order_by("title")
    return render(request, "hr/referrals.html", {"rows": rows, "open_jobs": open_jobs})
