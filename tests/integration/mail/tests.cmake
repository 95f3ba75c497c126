# The mail outbox against a real SMTP server (aiosmtpd, Debian's python3-aiosmtpd, so run with
# /usr/bin/python3, which sees Debian's Python packages) and real SQLite; one CTest test per case.
set(SENGEN_MAIL_CASES
    starttls_with_auth_delivers_decoded_japanese_and_english_mail
    smtps_implicit_tls_delivers
    server_without_starttls_gets_no_mail
    server_certificate_from_an_unknown_ca_is_refused
    wrong_smtp_password_is_refused_and_never_shown
    recipient_refused_with_5xx_fails_without_retries
    address_with_a_line_break_is_refused_when_queued
    smtp_outage_queues_and_retries_and_each_mail_arrives_once
    node_killed_after_commit_sends_the_mail_once_on_restart
    mail_queued_before_any_node_runs_is_sent_once_after_a_kill_and_restart
    failed_mail_is_listed_and_an_operator_retry_delivers_it
    file_transport_writes_complete_eml_files_only)
foreach(case IN LISTS SENGEN_MAIL_CASES)
  add_test(NAME mail.${case}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_mail.py --sengen $<TARGET_FILE:sengen>
                   MailTests.test_${case})
  set_tests_properties(mail.${case} PROPERTIES LABELS mail TIMEOUT 90)
endforeach()
