from email import message_from_bytes, policy

from django.core.mail import EmailMultiAlternatives

from concertation.eml_backend import EmlFileBackend


def test_each_message_becomes_one_eml_file(tmp_path):
    backend = EmlFileBackend(file_path=tmp_path)
    first = EmailMultiAlternatives("Bonjour", "Texte", "from@example.test", ["a@example.test"])
    first.attach_alternative("<p>Texte</p>", "text/html")
    second = EmailMultiAlternatives("Deuxième", "Encore", "from@example.test", ["b@example.test"])

    sent = backend.send_messages([first, second])

    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2
    assert len(files) == 2
    subjects = sorted(message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files)
    assert subjects == ["Bonjour", "Deuxième"]
