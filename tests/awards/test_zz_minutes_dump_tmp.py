import datetime
from awards import services
from awards.documents import minutes_pdf, score_summary_pdf
from tests.awards.test_council_documents import *  # noqa

def test_dump(records):
    services.council_minutes_update(council=records.council, actor=records.users["staff_cao_bang"], meeting_date=datetime.date(2026,12,15), meeting_place=PLACE, minutes_notes=NOTES)
    records.round.refresh_from_db()
    open("/tmp/minutes_out.pdf","wb").write(minutes_pdf(records.round))
    open("/tmp/summary_out.pdf","wb").write(score_summary_pdf(records.round))
    print(pdf_text(open("/tmp/minutes_out.pdf","rb").read()))
    print("=====")
    print(pdf_text(open("/tmp/summary_out.pdf","rb").read()))
