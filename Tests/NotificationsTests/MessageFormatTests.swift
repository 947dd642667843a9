import Foundation
import Testing
@testable import Notifications

/// How messages are written down for their channels: MIME for mail, segments for SMS.
@Suite struct MessageFormatTests {
    private let mail = MailMessage(from: "registratura@example.org", fromName: "Регистратура", to: "anna@example.org",
                                   subject: "Вы записаны: хирург, пт, 4 декабря, 10:30 — длинная тема, чтобы разбить её на несколько слов",
                                   text: "Талон № 101-000001\nПриходите за 10 минут.", html: "<p>Талон № 101-000001</p>",
                                   calendar: ("talon-101-000001.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), messageID: "booked:r1:email")

    @Test func aMailHasBothPartsTheCalendarAndAnEncodedSubject() throws {
        let encoded = mail.encoded(date: Date(timeIntervalSince1970: 1_795_413_600), boundarySeed: "seed")
        #expect(encoded.contains("Content-Type: multipart/mixed; boundary=\"=_mixed_seed\"\r\n"))
        #expect(encoded.contains("Content-Type: multipart/alternative;") && encoded.contains("Content-Type: text/plain; charset=utf-8") && encoded.contains("Content-Type: text/html; charset=utf-8"))
        #expect(encoded.contains("Content-Disposition: attachment; filename=\"talon-101-000001.ics\""))
        #expect(encoded.contains("Message-ID: <booked.r1.email@registratura>"))
        #expect(encoded.contains("Date: Mon, 23 Nov 2026 06:00:00 +0000"))
        // Every line within SMTP's limit, the subject's words decoding back to it.
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let subjectLines = try #require(encoded.components(separatedBy: "\r\nDate:").first?.components(separatedBy: "Subject: ").last)
        let decoded = subjectLines.components(separatedBy: "\r\n ").map { word -> String in
            let base64 = word.replacingOccurrences(of: "=?UTF-8?B?", with: "").replacingOccurrences(of: "?=", with: "")
            return String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == mail.subject)
        #expect(MailMessage.encodedWord("Plain subject") == "Plain subject")
    }

    @Test func anSMSKnowsItsSegmentsAndIsCutOnAWord() {
        #expect(SMSText("Talon 101-000001, 4 dec 10:30").segments == 1)
        #expect(SMSText(String(repeating: "a", count: 160)).segments == 1)
        #expect(SMSText(String(repeating: "a", count: 161), maximumSegments: 3).segments == 2)
        // Cyrillic is UCS-2: 70 in one segment, 67 in each of several.
        #expect(SMSText(String(repeating: "я", count: 70)).segments == 1)
        #expect(SMSText(String(repeating: "я", count: 71)).segments == 2)
        let long = SMSText(String(repeating: "Поликлиника перенесла запись ", count: 10))
        #expect(long.segments == 2 && long.text.hasSuffix("…") && long.text.utf16.count <= 134)
        #expect(!long.text.hasSuffix(" …"))
    }
}

/// Reminders go out the day before, inside the quiet hours of the clinic's own clock.
@Suite struct QuietHoursTests {
    private let hours = QuietHours(start: 8, end: 21)
    private let vladivostok = TimeZone(identifier: "Asia/Vladivostok")!   // UTC+10
    private let kaliningrad = TimeZone(identifier: "Europe/Kaliningrad")!  // UTC+2

    private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func theReminderComesAtEightTheDayBeforeOnTheClinicsClock() {
        // A visit at 09:00 on 3 December, local time.
        #expect(hours.reminder(for: utc("2026-12-02T23:00:00Z"), in: vladivostok, now: utc("2026-11-30T12:00:00Z")) == utc("2026-12-01T22:00:00Z"))
        #expect(hours.reminder(for: utc("2026-12-03T07:00:00Z"), in: kaliningrad, now: utc("2026-11-30T12:00:00Z")) == utc("2026-12-02T06:00:00Z"))
        // Booked during the day before: at once; booked at 03:00 that day: at 08:00.
        #expect(hours.reminder(for: utc("2026-12-02T23:00:00Z"), in: vladivostok, now: utc("2026-12-02T02:00:00Z")) == utc("2026-12-02T02:00:00Z"))
        #expect(hours.reminder(for: utc("2026-12-02T23:00:00Z"), in: vladivostok, now: utc("2026-12-01T17:00:00Z")) == utc("2026-12-01T22:00:00Z"))
        // Booked at 21:30 the day before: no allowed hour is left that day, so no reminder.
        #expect(hours.reminder(for: utc("2026-12-02T23:00:00Z"), in: vladivostok, now: utc("2026-12-02T11:30:00Z")) == nil)
        #expect(hours.allows(utc("2026-12-01T21:59:00Z"), in: vladivostok) == false && hours.allows(utc("2026-12-01T22:00:00Z"), in: vladivostok))
        #expect(QuietHours(parsing: "09-20") == QuietHours(start: 9, end: 20) && QuietHours(parsing: "21-08") == nil)
    }
}
