import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import MISBridge
@testable import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import Web
import GRDB

/// The repository's root, found from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A configuration with the real Templates/ and Public/, strict templates and a throwaway data directory.
func testConfiguration(development: Bool = false) -> AppConfiguration {
    // Metrics are bootstrapped before anything that reports them is made, as at start-up.
    _ = RegistryMetrics.registry
    return AppConfiguration(
        host: "127.0.0.1",
        port: 0,
        dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("registratura-\(UUID().uuidString)").path,
        templatesDirectory: repositoryRoot.appendingPathComponent("Templates").path,
        publicDirectory: repositoryRoot.appendingPathComponent("Public").path,
        development: development,
        strictTemplates: true
    )
    .withTestPasswordCost()
}

extension AppConfiguration {
    /// bcrypt at its lowest cost: the tests check what is hashed and compared, not how slowly.
    func withTestPasswordCost() -> AppConfiguration {
        var configuration = self
        configuration.passwordHashCost = 4
        return configuration
    }
}

let testLogger = Logger(label: "tests")

/// The renderer of `testConfiguration()`, its templates compiled once for every test that does not
/// reload them: compiling them is synchronous work, and a hundred tests doing it at once leave the
/// other tests' deadlines no thread to run on.
let testPages = Result { try PageRenderer(configuration: testConfiguration()) }

/// One HTTP client for every test that reaches a MIS.
let testTransport = HTTPClientTransport(connectTimeout: .seconds(5))

/// The MIS's answers, each rewritten by `rewrite` on its way to the registry: a gateway between the
/// MIS and the registry that breaks them the way a hostile or broken MIS would.
struct RewritingTransport: MISTransport {
    let rewrite: @Sendable (String) -> String
    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse {
        let answer = try await testTransport.send(request, timeout: timeout)
        return MISHTTPResponse(status: answer.status, body: Array(rewrite(String(decoding: answer.body, as: UTF8.self)).utf8))
    }
}

/// Runs `body` against the registry's router with extra routes added by `configure`; `database`
/// and `now` replace the registry's own database and clock.
func withRegistry(
    development: Bool = false,
    mis: [MISEndpoint] = [MISEndpoint(id: "nowhere", url: "http://127.0.0.1:9/serverais", keyID: "k", secret: "s")],
    database: (any RegistryStore)? = nil,
    now: @escaping @Sendable () -> Date = Date.init,
    secureCookies: Bool = false,
    transport: any MISTransport = testTransport,
    configure: (Router<RegistryRequestContext>) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var configuration = testConfiguration(development: development)
    configuration.misEndpoints = mis
    configuration.secureCookies = secureCookies
    configuration.federalKeys = [federalTestKey.id: federalTestKey.secret]
    configuration.federalNetworks = nil
    let pages = development ? try PageRenderer(configuration: configuration) : try testPages.get()
    let region = Region(settings: configuration.misEndpoints, transport: transport, logger: testLogger)
    let router = try await buildRouter(configuration, pages: pages, region: region, database: try database ?? AppDatabase.inMemory(), logger: testLogger, now: now)
    configure(router)
    let app = Application(router: HeadAsGetResponderBuilder(router: router), logger: testLogger)
    try await app.test(.router, body)
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// A browser: the test client plus the cookies it has been given.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// The form token of the last page that carried a form (what a browser submits with it).
    var formToken: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers()) { self.keep($0) }
    }

    /// Posts a form with the form token of the last page that carried one.
    func post(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        var fields = fields
        fields["csrf"] = formToken
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { self.keep($0) }
    }

    /// Posts a form exactly as given (its own token, if any).
    func postRaw(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { self.keep($0) }
    }

    private func headers() -> HTTPFields {
        var fields = HTTPFields()
        if !cookies.isEmpty { fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return fields
    }

    private func keep(_ response: TestResponse) -> TestResponse {
        let html = String(buffer: response.body)
        if let found = html.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) {
            formToken = String(html[found]).components(separatedBy: "\"")[3]
        }
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) } else if pair.count == 1 { cookies[String(pair[0])] = nil }
        }
        return response
    }
}

/// A live reference MIS (a small demo region, schedule open from now) and the registry reading it
/// over signed HTTP; `database` and `now` as in `withRegistry`, `configureMIS` sets the MIS up its own way.
func withDemoRegion(
    database: (any RegistryStore)? = nil,
    now: @escaping @Sendable () -> Date = Date.init,
    configureMIS: (inout ReferenceMIS) -> Void = { _ in },
    rewrite: (@Sendable (String) -> String)? = nil,
    _ body: @escaping @Sendable (Browser, ReferenceMIS) async throws -> Void
) async throws {
    let misDatabase = try MISDatabase.inMemory()
    try DemoRegion(patients: 300).generate(into: misDatabase)
    var mis = ReferenceMIS(database: misDatabase)
    configureMIS(&mis)
    try mis.openSchedule(now: Date())
    let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "demo-test-secret"]))
    let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { [mis] misClient in
        let endpoint = MISEndpoint(id: "reference", url: "http://127.0.0.1:\(misClient.port!)/serverais", keyID: "registry", secret: "demo-test-secret")
        let transport: any MISTransport = rewrite.map { RewritingTransport(rewrite: $0) } ?? testTransport
        try await withRegistry(mis: [endpoint], database: database, now: now, transport: transport) { client in try await body(Browser(client), mis) }
    }
}

/// An adult of the demo region attached to clinic 101, without a namesake: (policy, birth date, card id). `other` picks a second one.
func adultOf101(_ mis: ReferenceMIS, other: Bool = false) async throws -> (policy: String, birthDate: String, id: String) {
    let person = try #require(try DemoGuide(mis).people(.adult(of: "101"), skipping: other ? 1 : 0).first)
    return (person.policy, person.birthDate, person.id)
}

/// Identifies `browser` as `adultOf101` (`other`: the second such person).
func identifyAdult(_ browser: Browser, _ mis: ReferenceMIS, other: Bool = false) async throws {
    let person = try await adultOf101(mis, other: other)
    try await identify(browser, policy: person.policy, birthDate: person.birthDate)
}

/// Identifies `browser` with a policy and birth date (`YYYY-MM-DD` is accepted as typed).
func identify(_ browser: Browser, policy: String, birthDate: String) async throws {
    _ = try await browser.get("/identify")
    let response = try await browser.post("/identify", ["policy": policy, "birthDate": birthDate])
    #expect(response.status == .seeOther)
}

/// The first surgeon of clinic 101 with free times and the page of their first free day: (doctor, day page path).
func firstSurgeonDay(_ browser: Browser) async throws -> (doctor: String, dayPath: String) {
    let list = try await browser.get("/clinics/101/specialties/113").text
    let doctorPath = try #require(list.range(of: "/clinics/101/doctors/[0-9]+", options: .regularExpression).map { String(list[$0]) })
    let page = try await browser.get(doctorPath).text
    let dayPath = try #require(page.range(of: doctorPath + "/days/[0-9-]+", options: .regularExpression).map { String(page[$0]) })
    return (String(doctorPath.split(separator: "/").last!), dayPath)
}

/// The first time button of that surgeon's first free day: (doctor, slot, the day page).
func firstSurgeonTime(_ browser: Browser) async throws -> (doctor: String, slot: String, html: String) {
    let (doctor, dayPath) = try await firstSurgeonDay(browser)
    let page = try await browser.get(dayPath).text
    let slot = try #require(page.range(of: "name=\"slot\" value=\"[0-9]+\"", options: .regularExpression).map { String(page[$0]).filter(\.isNumber) })
    return (doctor, slot, page)
}

/// The request id the check page's form carries.
func requestID(onCheckPage html: String) throws -> String {
    try #require(html.range(of: "name=\"requestId\" value=\"[0-9a-f]+\"", options: .regularExpression).map { String(html[$0]).components(separatedBy: "\"")[3] })
}

/// An in-memory store with staff accounts (login, name, role), all with `staffPassword`.
/// `clinics` gives a clinic role's account its clinics, by login.
func storeWithStaff(_ staff: [(login: String, name: String, role: StaffRole)], clinics: [String: [String]] = [:]) async throws -> AppDatabase {
    let database = try AppDatabase.inMemory()
    var accounts = StaffAccounts(database: database, audit: AuditTrail(database: database))
    accounts.cost = 4
    for member in staff {
        _ = try await accounts.create(login: member.login, name: member.name, role: member.role, clinics: clinics[member.login] ?? [], password: staffPassword,
                                      by: nil, address: nil, now: Date())
    }
    return database
}

/// The federal portal's key at the door of every registry `withRegistry` runs.
let federalTestKey = (id: "portal", secret: "federal-test-secret-0001")

/// The MIS protocol carried to the registry's own router (its federal portal's door): what the
/// portal's requests would be over HTTP, without a socket.
struct RegistryDoorTransport: MISTransport {
    let client: any TestClientProtocol

    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse {
        let target = URLComponents(string: request.url).map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?" + $0 } ?? "") } ?? "/"
        var headers = HTTPFields()
        for (name, value) in request.headers { if let field = HTTPField.Name(name) { headers[field] = value } }
        do {
            return try await client.execute(uri: target, method: request.method == "POST" ? .post : .get, headers: headers,
                                            body: request.body.map { ByteBuffer(bytes: $0) }) { response in
                MISHTTPResponse(status: Int(response.status.code), body: Array(response.body.readableBytesView))
            }
        } catch {
            throw MISFailure(.unreachable, detail: "\(error)")
        }
    }
}

/// The password of every account `storeWithStaff` makes.
let staffPassword = "Пароль-для-теста-42"

/// Signs `login` in on the workstation; returns the staff session's form token (as its pages carry it).
func signInStaff(_ browser: Browser, _ login: String) async throws -> String {
    _ = try await browser.get("/staff/sign-in")
    #expect(try await browser.post("/staff/sign-in", ["login": login, "password": staffPassword]).status == .seeOther)
    return try staffFormToken(in: try await browser.get("/operator").text)
}

/// The form token a page's form carries.
func formToken(in html: String) throws -> String {
    try staffFormToken(in: html)
}

/// The form token a workstation page carries.
func staffFormToken(in html: String) throws -> String {
    try #require(html.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression).map { String(html[$0]).components(separatedBy: "\"")[3] })
}

/// Saves an e-mail contact the patient has already confirmed (as following the confirmation link
/// leaves it), so that messages to it go out.
func saveConfirmedContact(_ database: AppDatabase, patientKey: String, email: String, consentAt: Date) async throws {
    try await database.saveContact(patientKey: patientKey, phone: nil, email: email, consentAt: consentAt)
    try await database.writer.write { try $0.execute(sql: "UPDATE contact SET email_confirmed_at = consent_at WHERE patient_key = ?", arguments: [patientKey]) }
}
