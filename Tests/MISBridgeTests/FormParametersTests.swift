import Testing
@testable import MISBridge

@Suite("Form parameters")
struct FormParametersTests {
    @Test func decodesEscapesPlusesAndEmptyValues() throws {
        let form = try FormParameters(decoding: "name=%D0%98%D0%B2%D0%B0%D0%BD&doc=45+01&empty=&flag&=bare".utf8)
        #expect(form["name"] == "Иван")
        #expect(form["doc"] == "45 01")
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(form[""] == "bare")
        #expect(form["missing"] == nil)
        #expect(try FormParameters(decoding: "".utf8).pairs.isEmpty)
        #expect(try FormParameters(decoding: "&&a=1&&".utf8).pairs.map(\.name) == ["a"])
    }

    @Test func refusesWhatCouldBeReadTwoWays() {
        let cases: [(String, FormParameters.Problem)] = [
            ("x=%zz", .brokenEscape), ("x=%4", .brokenEscape), ("x=%", .brokenEscape), ("%", .brokenEscape),
            ("x=%C3%28", .notUTF8), ("x=%FF", .notUTF8),
            ("clinic=101%00", .nulByte), ("clinic=101\u{0}", .nulByte), ("%00=1", .nulByte),
            ("csrf=a&csrf=b", .repeated("csrf")), ("a=1&b=2&a=1", .repeated("a")),
        ]
        for (text, problem) in cases {
            #expect(throws: problem, "\(text)") { try FormParameters(decoding: text.utf8) }
        }
        #expect(throws: FormParameters.Problem.notUTF8) { try FormParameters(decoding: [0x61, 0x3D, 0xC3]) }
    }
}
