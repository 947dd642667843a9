import Foundation
import Testing
@testable import Templating

@Suite("Filters")
struct FilterTests {
    @Test(arguments: [
        (0, "0 талонов"), (1, "1 талон"), (2, "2 талона"), (4, "4 талона"), (5, "5 талонов"), (11, "11 талонов"),
        (12, "12 талонов"), (14, "14 талонов"), (15, "15 талонов"), (21, "21 талон"), (22, "22 талона"), (25, "25 талонов"),
        (101, "101 талон"), (111, "111 талонов"), (112, "112 талонов"), (1_001, "1\u{00A0}001 талон"), (-1, "-1 талон"),
    ])
    func russianPlurals(count: Int, expected: String) throws {
        #expect(try render("{{ n | plural(\"талон\", \"талона\", \"талонов\") }}", ["n": .int(count)]) == expected)
    }

    @Test func pluralWordAndFractions() throws {
        #expect(try render("{{ n | plural_word(\"день\", \"дня\", \"дней\") }}", ["n": 3]) == "дня")
        #expect(try render("{{ n | plural(\"час\", \"часа\", \"часов\") }}", ["n": 2.5]) == "2,5 часа")
    }

    @Test func russianDatesInTheClinicsTimeZone() throws {
        let context: [String: TemplateValue] = ["at": .date(fridayMorning), "zone": "Asia/Yekaterinburg"]
        #expect(try render("{{ at | date(\"EEEE, d MMMM\") }}", context) == "пятница, 27 ноября")
        #expect(try render("{{ at | date(\"time\") }}", context) == "09:40")
        #expect(try render("{{ at | date(\"HH:mm\", zone) }}", context) == "11:40")
        #expect(try render("{{ at | date(\"HH:mm\", \"Asia/Vladivostok\") }}", context) == "16:40")
        #expect(try render("{{ at | date(\"short\") }} {{ at | date(\"LLLL yyyy\") }} {{ at | date(\"EE\") }}", context) == "27.11.2026 ноябрь 2026 пт")
    }

    @Test func rememberedOffsetsStillFollowSummerTimeBothWays() throws {
        // Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October.
        let format = try RussianDateFormat("d MMMM HH:mm")
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let beforeSpring = Date(timeIntervalSince1970: 1_774_745_940), afterSpring = beforeSpring.addingTimeInterval(120)
        let beforeAutumn = Date(timeIntervalSince1970: 1_792_889_940), afterAutumn = beforeAutumn.addingTimeInterval(120)
        for order in [[beforeSpring, afterSpring, beforeAutumn, afterAutumn], [afterAutumn, beforeAutumn, afterSpring, beforeSpring]] {
            let written = Dictionary(uniqueKeysWithValues: order.map { ($0, format.string(from: $0, in: berlin)) })
            #expect(written[beforeSpring] == "29 марта 01:59" && written[afterSpring] == "29 марта 03:01")
            #expect(written[beforeAutumn] == "25 октября 02:59" && written[afterAutumn] == "25 октября 02:01")
        }
    }

    @Test func datesCrossMidnightByZone() throws {
        // 22:30 in Moscow on 31 December is already 1 January in Kamchatka (UTC+12).
        let newYearsEve = Date(timeIntervalSince1970: 1_798_745_400)
        let context: [String: TemplateValue] = ["at": .date(newYearsEve)]
        #expect(try render("{{ at | date(\"long\") }}", context) == "31 декабря 2026")
        #expect(try render("{{ at | date(\"EEEE, d MMMM yyyy\", \"Asia/Kamchatka\") }}", context) == "пятница, 1 января 2027")
    }

    @Test(arguments: [
        (Date(timeIntervalSince1970: 951_782_400), "29 февраля 2000, вторник"),
        (Date(timeIntervalSince1970: 0), "1 января 1970, четверг"),
        (Date(timeIntervalSince1970: -86_400), "31 декабря 1969, среда"),
        (Date(timeIntervalSince1970: 4_107_542_400), "1 марта 2100, понедельник"),
    ])
    func calendarEdgeDates(date: Date, expected: String) {
        let format = try! RussianDateFormat("d MMMM yyyy, EEEE")
        #expect(format.string(from: date, in: TimeZone(identifier: "UTC")!) == expected)
    }

    @Test func badPatternsAndZonesFailAtCompileTime() {
        #expect(templateError("{{ at | date(\"QQ\") }}")?.message == "date pattern has unknown field 'QQ'")
        #expect(templateError("{{ at | date(\"HH\", \"Mars/Olympus\") }}")?.message == "unknown time zone 'Mars/Olympus'")
        #expect(templateError("{{ at | date(fmt) }}")?.message == "date needs its pattern as a quoted string")
    }

    @Test func defaultUpperLowerCapitalize() throws {
        #expect(try render("{{ a | default(\"—\") }}{{ b | default(\"—\") }}{{ c | default(\"—\") }}", ["a": nil, "b": "", "c": "x"]) == "——x")
        #expect(try render("{{ s | upper }} {{ s | lower }} {{ t | capitalize }}", ["s": "Терапевт", "t": "хирург"]) == "ТЕРАПЕВТ терапевт Хирург")
    }

    @Test func urlEncodingForQueryParameters() throws {
        #expect(try render("<a href=\"/search?q={{ q | url }}\">", ["q": "Иванова & дочь/1"])
            == "<a href=\"/search?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0%20%26%20%D0%B4%D0%BE%D1%87%D1%8C%2F1\">")
    }

    @Test func numbersTheRussianWay() throws {
        #expect(try render("{{ a | number }}|{{ b | number }}|{{ c | number(2) }}|{{ d | number(1) }}", ["a": 20_000, "b": 999, "c": 1234.5, "d": -0.25])
            == "20\u{00A0}000|999|1\u{00A0}234,50|-0,3")
    }

    @Test func lengthAndJoin() throws {
        #expect(try render("{{ xs | length }} {{ xs | join(\", \") }} {{ s | length }}", ["xs": ["каб. 5", "каб. 7"], "s": "ёжик"]) == "2 каб. 5, каб. 7 4")
    }

    @Test func customFiltersFromTheApplication() throws {
        struct Mask: TemplateFilter {
            func apply(to value: TemplateValue, arguments: [TemplateValue]) throws(TemplateFilterError) -> TemplateValue {
                guard case .string(let s) = value else { throw TemplateFilterError("needs text") }
                return .string(String(s.prefix(1)) + "***")
            }
        }
        let library = try TemplateLibrary(templates: ["t": "{{ name | mask }}"], options: TemplateOptions(filters: ["mask": Mask()]))
        #expect(try library.renderString("t", TemplateDictionary(["name": "Иванов"])) == "И***")
        #expect(throws: TemplateError(template: "t", line: 1, column: 11, message: "mask: needs text")) {
            try library.renderString("t", TemplateDictionary(["name": 5]))
        }
    }

    @Test func unknownFilter() {
        #expect(templateError("{{ a | shout }}") == TemplateError(template: "main", line: 1, column: 8, message: "unknown filter 'shout'"))
    }
}
