import App
import ArgumentParser
import Foundation
import Logging
import Persistence
import RegistryCore

/// `registratura accounts …`: staff accounts from the command line — above all the first administrator.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Staff accounts of the registry: create one (the first administrator), list them.",
        discussion: "The store is the one the registry uses: REGISTRATURA_DATABASE_URL, or the SQLite file in --data-dir.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account. The password comes from REGISTRATURA_ACCOUNT_PASSWORD, or is asked for (or read from standard input)."
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Login: 3–32 Latin letters, digits, dots, hyphens or underscores.") var login: String
        @Option(help: "The staff member's surname and name.") var name: String
        @Option(help: "operator, supervisor, administrator, registrar (a clinic's front desk) or head (a clinic's head).") var role: String = "administrator"
        @Option(name: .customLong("clinic"), help: "A clinic a registrar or head works for (its id); repeatable, at least one for those roles.") var clinics: [String] = []

        func run() async throws {
            guard let role = StaffRole(rawValue: role) else { throw ValidationError("--role is operator, supervisor, administrator, registrar or head") }
            let clinics = self.clinics
            let password = try Self.password()
            let (login, name) = (self.login, self.name)
            let configuration = try store.configuration()
            let created = try await withRegistryStore(configuration, logger: store.logger) { database in
                var accounts = StaffAccounts(database: database, audit: AuditTrail(database: database))
                accounts.cost = configuration.passwordHashCost
                do {
                    return try await accounts.create(login: login, name: name, role: role, clinics: clinics, password: password, by: nil, address: nil, now: Date())
                } catch let problem as StaffAccounts.Problem {
                    throw ValidationError(Self.describe(problem))
                }
            }
            print("Account \(created.login) (\(created.role.rawValue)\(created.clinics.isEmpty ? "" : " of " + created.clinics.joined(separator: ", "))) created.")
        }

        static func password() throws -> String {
            if let given = ProcessInfo.processInfo.environment["REGISTRATURA_ACCOUNT_PASSWORD"], !given.isEmpty { return given }
            if isatty(STDIN_FILENO) == 1, let typed = getpass("Password: ") { return String(cString: typed) }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password given") }
            return line
        }

        static func describe(_ problem: StaffAccounts.Problem) -> String {
            switch problem {
            case .badLogin: "--login takes 3–32 Latin letters, digits, dots, hyphens or underscores"
            case .loginTaken: "that login is taken"
            case .emptyName: "--name must not be empty"
            case .weakPassword(let why): "the password is too weak: \(why)"
            case .clinics: "registrar and head take one or more --clinic (letters and digits); the other roles none"
            default: "the account was not created"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts: login, role, state, name, clinics (tab-separated).")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let accounts = try await withRegistryStore(try store.configuration(), logger: store.logger) { try await $0.accounts() }
            for account in accounts {
                print([account.login, account.role.rawValue, account.disabledAt == nil ? "active" : "disabled", account.name, account.clinics.joined(separator: ",")]
                    .joined(separator: "\t"))
            }
        }
    }
}

/// `registratura audit …`: the audit trail's own check.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail of staff actions.",
        subcommands: [Verify.self, Checkpoint.self, NewKey.self]
    )

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the audit chain's head now in a checkpoint file (the nodes do it every five minutes; run it from elsewhere too, to keep a copy the nodes cannot reach)."
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "The checkpoint file to append to; default: this node's own.") var to: String?

        func run() async throws {
            let configuration = try store.configuration()
            let checkpoints = to.map(AuditCheckpoints.init(path:)) ?? configuration.auditCheckpoints
            let written = try await withRegistryStore(configuration, logger: store.logger) { try await checkpoints.record(from: $0, now: Date()) }
            print(written.map { "checkpoint recorded in \(checkpoints.path): \($0.line)" } ?? "nothing new to record (the trail is empty, or its head is recorded already)")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the audit trail's keyed hash chain and compare it with the checkpoints recorded outside the store; exit 1 and name the first broken line if any.",
            discussion: "The key is the nodes' own (REGISTRATURA_AUDIT_KEY, or the file REGISTRATURA_AUDIT_KEY_FILE, or audit.key in --data-dir)."
        )

        @OptionGroup var store: StoreOptions
        @Option(name: .customLong("checkpoints"), help: "Checkpoint files to compare with (any node's, or a copy kept elsewhere); default: this node's own, if there is one.")
        var checkpointFiles: [String] = []

        func run() async throws {
            let configuration = try store.configuration()
            let files = checkpointFiles.isEmpty ? [configuration.auditCheckpoints.path] : checkpointFiles
            var checkpoints: [AuditCheckpoint] = []
            for file in files {
                do {
                    checkpoints += try AuditCheckpoints(path: file).read()
                } catch {
                    throw ValidationError(String(describing: error))
                }
            }
            let recorded = checkpoints
            let result = try await withRegistryStore(configuration, logger: store.logger) { try await AuditTrail(database: $0).verify(checkpoints: recorded) }
            if let broken = result.firstBreak {
                print("audit trail broken at line \(broken.sequence): \(broken.reason) (\(max(0, result.checked - 1)) lines before it hold)")
                throw ExitCode.failure
            }
            print("audit trail intact: \(result.checked) lines, \(recorded.count) checkpoints agree")
        }
    }

    struct NewKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new-key",
            abstract: "Print a new audit key (64 hex digits) for REGISTRATURA_AUDIT_KEY: give every node of a region the same one."
        )

        func run() {
            print(AuditKey.newHex())
        }
    }
}

/// Where the registry's store is, as `serve` finds it.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the registry's own data (default ./data; ignored with REGISTRATURA_DATABASE_URL).") var dataDirectory: String?

    func configuration() throws -> AppConfiguration {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        return configuration
    }

    var logger: Logger {
        var logger = Logger(label: "registratura")
        logger.logLevel = .warning
        return logger
    }
}
