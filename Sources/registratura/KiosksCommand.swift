import App
import ArgumentParser
import Foundation
import Persistence
import RegistryCore

/// `registratura kiosks …`: lobby kiosks from the command line (the workstation's «Информаты» page does the same).
struct KiosksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosks",
        abstract: "Lobby kiosks of the registry: register one, list them, revoke one.",
        discussion: "The store is the one the registry uses: REGISTRATURA_DATABASE_URL, or the SQLite file in --data-dir.",
        subcommands: [Register.self, List.self, Revoke.self]
    )

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a kiosk for a clinic; prints its start address (the device token in it is shown only now)."
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Where the kiosk stands, e.g. \"Холл, 1 этаж\".") var name: String
        @Option(help: "The clinic's id, as `registratura mis people` and the site's addresses show it.") var clinic: String
        @Option(help: "The kiosk's address or its hall's network (10.20.0.15, 10.20.0.0/24): its token is refused from anywhere else.") var network: String?

        func run() async throws {
            let (name, clinic, network) = (self.name, self.clinic, self.network)
            let result = try await withRegistryStore(try store.configuration(), logger: store.logger) { database in
                // The clinic is taken as given: the MIS may be down while a kiosk is set up (the workstation checks it against the region).
                try await KioskDevices(database: database, audit: AuditTrail(database: database))
                    .register(name: name, clinicID: clinic, clinics: [clinic], network: network, by: nil, address: nil, now: Date())
            }
            switch result {
            case .success(let registered):
                print("Kiosk \(registered.kiosk.id) registered. Open on it: /kiosk/start?token=\(registered.token)")
            case .failure(.emptyName):
                throw ValidationError("--name must not be empty")
            case .failure(.badNetwork):
                throw ValidationError("--network must be an address or a network, like 10.20.0.15 or 10.20.0.0/24")
            case .failure:
                throw ValidationError("--clinic must name a clinic")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List kiosks: id, clinic, state, network, name (tab-separated).")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let kiosks = try await withRegistryStore(try store.configuration(), logger: store.logger) { try await $0.kiosks() }
            for kiosk in kiosks {
                print([kiosk.id, kiosk.clinicID, kiosk.revokedAt == nil ? "live" : "revoked", kiosk.network ?? "any", kiosk.name].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a kiosk's token: it is refused from its next request on.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The kiosk's id (see `kiosks list`).") var id: String

        func run() async throws {
            let id = self.id
            let result = try await withRegistryStore(try store.configuration(), logger: store.logger) { database in
                try await KioskDevices(database: database, audit: AuditTrail(database: database)).revoke(id, by: nil, address: nil, now: Date())
            }
            guard case .success = result else { throw ValidationError("no kiosk \(id)") }
            print("Kiosk \(id) revoked.")
        }
    }
}
