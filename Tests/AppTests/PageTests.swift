import Booking
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import App
@testable import Web

@Suite("Pages")
struct PageTests {
    @Test func daysAreNamedAsPeopleSayThemOnTheClinicsCalendar() {
        let moscow = TimeZone(identifier: "Europe/Moscow")!, yekaterinburg = TimeZone(identifier: "Asia/Yekaterinburg")!
        // Tuesday 1 December 2026, 22:30 in Moscow = 00:30 on Wednesday in Yekaterinburg.
        let now = Date(timeIntervalSince1970: 1_796_153_400)
        let wednesdayNoonMoscow = Date(timeIntervalSince1970: 1_796_202_000)
        #expect(DayName.of(now, in: moscow, now: now) == "сегодня, 1 декабря")
        #expect(DayName.of(wednesdayNoonMoscow, in: moscow, now: now) == "завтра, 2 декабря")
        #expect(DayName.capitalized(wednesdayNoonMoscow.addingTimeInterval(86_400), in: moscow, now: now) == "Четверг, 3 декабря")
        // In Yekaterinburg it is already Wednesday: the same noon is today there.
        #expect(DayName.of(wednesdayNoonMoscow, in: yekaterinburg, now: now) == "сегодня, 2 декабря")
    }

    @Test func homePageExplainsTheServiceInRussian() async throws {
        try await withRegistry { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                let html = response.text
                #expect(html.hasPrefix("<!doctype html>\n<html lang=\"ru\">"))
                #expect(html.contains("<title>Запись к врачу онлайн — Регистратура</title>"))
                #expect(html.contains("<a class=\"skip-link\" href=\"#main\">Перейти к основному содержанию</a>"))
                #expect(html.contains("<main id=\"main\""))
                #expect(html.contains("<h1>Запись к врачу онлайн</h1>"))
                #expect(html.contains("полис ОМС"))
                #expect(html.contains("media=\"print\""))
            }
        }
    }

    @Test func unknownAddressGivesARussianNotFoundPage() async throws {
        try await withRegistry { client in
            try await client.execute(uri: "/no/such/page?x=<script>", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("<h1>Такой страницы нет</h1>"))
                #expect(response.text.contains("href=\"/\""))
                #expect(!response.text.contains("<script>"))
            }
        }
    }

    @Test func unexpectedErrorsGiveAnErrorPageWithoutInternals() async throws {
        struct SecretFailure: Error, CustomStringConvertible { var description: String { "полис 1234567890123456 не найден в таблице X" } }
        try await withRegistry(configure: { router in
            router.get("/boom") { _, _ -> String in throw SecretFailure() }
        }) { client in
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.cacheControl] == "no-store")
                let html = response.text
                #expect(html.contains("<h1>Что-то пошло не так</h1>"))
                #expect(html.contains("Код обращения: <code>"))
                #expect(!html.contains("1234567890123456"))
                #expect(!html.contains("SecretFailure"))
            }
        }
    }

    @Test func developmentModeShowsTheErrorText() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "details <b>here</b>" } }
        try await withRegistry(development: true, configure: { router in
            router.get("/boom") { _, _ -> String in throw Broken() }
        }) { client in
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.text.contains("<pre>details &lt;b&gt;here&lt;/b&gt;</pre>"))
            }
        }
    }

    @Test func httpErrorsKeepTheirStatus() async throws {
        try await withRegistry(configure: { router in
            router.get("/limited") { _, _ -> String in throw HTTPError(.tooManyRequests) }
        }) { client in
            try await client.execute(uri: "/limited", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.text.contains("Слишком много запросов подряд"))
                #expect(!response.text.contains("Код обращения"))
            }
        }
    }

    @Test func everyResponseCarriesSecurityHeaders() async throws {
        try await withRegistry { client in
            for uri in ["/", "/missing", "/css/base.css", "/health"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(uri)")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                }
            }
        }
    }

    @Test func headRequestsGetHeadersWithoutBody() async throws {
        try await withRegistry { client in
            for uri in ["/", "/health", "/css/base.css"] {
                try await client.execute(uri: uri, method: .head) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.body.readableBytes == 0, "\(uri)")
                    #expect(Int(response.headers[.contentLength] ?? "") ?? 0 > 0, "\(uri)")
                }
            }
            try await client.execute(uri: "/missing", method: .head) { response in
                #expect(response.status == .notFound)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func malformedAddressesGetAClearPage() async throws {
        try await withRegistry { client in
            try await client.execute(uri: "/%ZZ%", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("<h1>Запрос не получилось разобрать</h1>"))
            }
        }
    }

    @Test func healthEndpointReportsOK() async throws {
        try await withRegistry { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(response.text.utf8))
                #expect(report.status == "ok")
                #expect(report.version == RegistryVersion.current)
            }
        }
    }
}

/// Every refusal code explains itself to each audience, with the way forward and the figures of the rules in force.
@Suite("Refusal texts")
struct RefusalTextTests {
    @Test func everyRefusalExplainsTheWayForwardToEachAudience() {
        for code in Refusal.Code.allCases {
            for audience in [RefusalAudience.patient, .staff] {
                let text = RefusalTexts.explanation(code, for: audience, rules: BookingRules())
                #expect(text.count > 40 && text.range(of: "[А-Яа-яЁё]", options: .regularExpression) != nil, "\(code)")
            }
        }
        #expect(RefusalTexts.explanation(.alreadyBookedThatDay, for: .patient, rules: BookingRules()).hasPrefix("У вас уже есть запись"))
        #expect(RefusalTexts.explanation(.alreadyBookedThatDay, for: .staff, rules: BookingRules()).hasPrefix("У пациента уже есть запись"))
        var rules = BookingRules()
        rules.leadTime = 5_400
        rules.horizonDays = 21
        #expect(RefusalTexts.explanation(.tooSoon, for: .patient, rules: rules).contains("не позднее чем за 1,5 часа до приёма"))
        #expect(RefusalTexts.explanation(.tooSoon, for: .patient, rules: BookingRules()).contains("за 3 часа"))
        #expect(RefusalTexts.explanation(.beyondHorizon, for: .staff, rules: rules).contains("на 21 день вперёд"))
    }
}
