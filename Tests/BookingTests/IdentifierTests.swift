import Testing
@testable import Booking

@Suite("Policy numbers")
struct PolicyNumberTests {
    /// Luhn by hand over 770000000000000: from the right, the second 7 is doubled (14 → 1+4 = 5),
    /// the first is not (7): 12, so the check digit is (10 − 2) mod 10 = 8.
    static let valid = "7700000000000008"

    @Test func acceptsAValidUnifiedNumberWrittenAnyWay() throws {
        let expected = PolicyNumber.unified(Self.valid)
        #expect(try PolicyNumber(parsing: Self.valid) == expected)
        #expect(try PolicyNumber(parsing: "7700 0000 0000 0008") == expected)
        #expect(try PolicyNumber(parsing: " 7700-0000-0000-0008 ") == expected)
    }

    @Test(arguments: ["7700000000000003", "7700000000000080", "0700000000000008"])
    func refusesATypo(text: String) {
        #expect(throws: PolicyNumber.Problem.checkDigitMismatch) { try PolicyNumber(parsing: text) }
    }

    @Test func checkDigitMatchesKnownLuhnValues() {
        // 7992739871 is the textbook Luhn example, check digit 3; padded with leading zeros to 15 digits.
        #expect(PolicyNumber.checkDigit(forFirst15: Array("000007992739871")) == "3")
        #expect(PolicyNumber.checkDigit(forFirst15: Array("770000000000000")) == "8")
        #expect(PolicyNumber.checkDigit(forFirst15: Array("000000000000000")) == "0")
    }

    @Test func readsOldStylePolicies() throws {
        #expect(try PolicyNumber(parsing: "АБ 123456") == .legacy(series: "АБ", number: "123456"))
        #expect(try PolicyNumber(parsing: "7701 № 1234567890") == .legacy(series: "7701", number: "1234567890"))
        #expect(try PolicyNumber(parsing: "1234567") == .legacy(series: "", number: "1234567"))
        #expect(try PolicyNumber(parsing: "ab 123456").protocolValue == "AB 123456")
    }

    @Test func refusesWhatIsNoPolicy() {
        #expect(throws: PolicyNumber.Problem.empty) { try PolicyNumber(parsing: "  ") }
        #expect(throws: PolicyNumber.Problem.unrecognised) { try PolicyNumber(parsing: "12345") }
        #expect(throws: PolicyNumber.Problem.unrecognised) { try PolicyNumber(parsing: "<script>123456") }
        #expect(throws: PolicyNumber.Problem.unrecognised) { try PolicyNumber(parsing: "770000000000000812") }
    }
}

@Suite("SNILS")
struct SNILSTests {
    @Test func acceptsValidNumbersWrittenAnyWay() throws {
        // 112-233-445 95: 1·9+1·8+2·7+2·6+3·5+3·4+4·3+4·2+5·1 = 95.
        #expect(try SNILS(parsing: "112-233-445 95").digits == "11223344595")
        #expect(try SNILS(parsing: "11223344595").description == "112-233-445 95")
    }

    @Test func checksumEdgeCases() {
        #expect(SNILS.checksum(forFirst9: Array("902000004")) == 99)  // 81 + 14 + 4
        #expect(SNILS.checksum(forFirst9: Array("902000005")) == 0)  // sum 100 → 00
        #expect(SNILS.checksum(forFirst9: Array("902000006")) == 0)  // sum 101 → 00
        #expect(SNILS.checksum(forFirst9: Array("902000007")) == 1)  // sum 102 → 102 mod 101
        #expect(SNILS.checksum(forFirst9: Array("999999999")) == 1)  // 405 mod 101
    }

    @Test func refusesTyposAndWrongLengths() {
        #expect(throws: SNILS.Problem.checksumMismatch) { try SNILS(parsing: "112-233-445 96") }
        #expect(throws: SNILS.Problem.wrongLength) { try SNILS(parsing: "112-233-445") }
        #expect(throws: SNILS.Problem.wrongLength) { try SNILS(parsing: "112-233-445 9x") }
    }

    @Test func earlyNumbersHaveNoChecksum() throws {
        #expect(try SNILS(parsing: "001-001-998 00").digits == "00100199800")
    }
}

@Suite("Birth dates")
struct BirthDateTests {
    @Test(arguments: ["05.05.1980", "5.5.1980", "05 05 1980", "05-05-1980", "05051980", "1980-05-05", " 05.05.1980 ",
                      "5 мая 1980", "05 мая 1980 г.", "5 Мая 1980 года", "05.05.80", "5-5-80", "5 май 1980"])
    func acceptsUsualRussianForms(text: String) {
        #expect(BirthDate.parse(text, today: "2026-11-23") == "1980-05-05")
    }

    @Test(arguments: ["31.02.1980", "29.02.2023", "00.01.1980", "1.13.1980", "05.05.1899", "24.11.2026", "завтра", "", "1980"])
    func refusesWhatIsNoBirthDate(text: String) {
        #expect(BirthDate.parse(text, today: "2026-11-23") == nil)
    }

    @Test func monthNamesAndShortYears() {
        #expect(BirthDate.parse("11 сентября 1976", today: "2026-11-23") == "1976-09-11")
        #expect(BirthDate.parse("11 сент. 1976", today: "2026-11-23") == "1976-09-11")
        #expect(BirthDate.parse("1 марта 1990", today: "2026-11-23") == "1990-03-01")
        #expect(BirthDate.parse("11.09.76", today: "2026-11-23") == "1976-09-11")
        // A two-digit year is the latest one not after today: a child born in 2020, not in 1920.
        #expect(BirthDate.parse("05.05.20", today: "2026-11-23") == "2020-05-05")
        #expect(BirthDate.parse("24.11.26", today: "2026-11-23") == "1926-11-24")
        #expect(BirthDate.parse("11 брюмера 1976", today: "2026-11-23") == nil)
        #expect(BirthDate.parse("11 ма 1976", today: "2026-11-23") == nil)
    }

    @Test func leapDays() {
        #expect(BirthDate.parse("29.02.2000", today: "2026-11-23") == "2000-02-29")
        #expect(BirthDate.parse("29.02.1900", today: "2026-11-23") == nil)
    }
}

@Suite("E-mail addresses")
struct EmailAddressTests {
    @Test func plainAddressesAreKeptAsTyped() throws {
        let address = try EmailAddress(parsing: "Anna.Petrova+clinic@Example.RU", unicodeLocalPart: false)
        #expect(address.text == "Anna.Petrova+clinic@example.ru" && address.wireForm == address.text && !address.needsSMTPUTF8)
    }

    @Test func controlCharactersAndRoutingFormsAreRefused() {
        for (typed, problem) in [("vic\u{01}tim@clinic.test", EmailAddress.Problem.malformed), ("victim@clinic.test\r\nRCPT TO:<x@y.z>", .malformed),
                                 ("root@[127.0.0.1]", .routing), ("evil%evil.test@clinic.test", .routing), ("evil.test!evil@clinic.test", .routing),
                                 ("\"ab\"@clinic.test", .routing), ("a b@clinic.test", .malformed), ("<a@clinic.test>", .malformed),
                                 ("a@clinic", .malformed), ("a@-clinic.test", .malformed), ("a..b@clinic.test", .malformed), ("a@1.2.3.4", .malformed),
                                 ("@clinic.test", .malformed), ("a@clinic..test", .malformed)] {
            #expect(throws: problem, "\(typed.debugDescription)") { try EmailAddress(parsing: typed, unicodeLocalPart: true) }
        }
    }

    @Test func aCyrillicDomainGoesOutInPunycode() throws {
        // RFC 3492's own sample is Arabic; «пример.испытание» is IANA's Russian test domain, xn--e1afmkfd.xn--80akhbyknj4f.
        let address = try EmailAddress(parsing: "anna@Пример.Испытание", unicodeLocalPart: false)
        #expect(address.text == "anna@пример.испытание" && address.wireForm == "anna@xn--e1afmkfd.xn--80akhbyknj4f")
        #expect(try EmailAddress(parsing: "anna@почта.рф", unicodeLocalPart: false).asciiDomain == "xn--80a1acny.xn--p1ai")
    }

    @Test func aCyrillicLocalPartNeedsARelayThatSpeaksSMTPUTF8() throws {
        #expect(throws: EmailAddress.Problem.unicodeLocalPart) { try EmailAddress(parsing: "анна@почта.рф", unicodeLocalPart: false) }
        let address = try EmailAddress(parsing: "анна@почта.рф", unicodeLocalPart: true)
        #expect(address.needsSMTPUTF8 && address.wireForm == "анна@xn--80a1acny.xn--p1ai")
    }
}
