using System;
using System.Collections.Generic;
using System.Linq;
using Bitrix24.Emulator;
using Bitrix24.Emulator.Server;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>
    /// A module test: an emulated portal over loopback HTTP and a PowerShell runspace with the built
    /// module imported and connected to it through the webhook URL.
    /// </summary>
    public abstract class ModuleTest : IDisposable
    {
        protected const string Secret = "s3cr3tWebhookKey";

        protected ModuleTest()
        {
            Server = new EmulatorServer(new EmulatedPortal(Secret));
            Shell = new PowerShellSession();
            Run($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api {Api}").ThrowIfFailed();
            Portal.ClearLog();
        }

        /// <summary>The API route the session uses: Lead (crm.lead.*) or Item (crm.item.*). Suites that
        /// run on both routes derive a class that overrides this.</summary>
        protected virtual string Api => "Lead";

        /// <summary>Connects the session again on this suite's route, with <paramref name="extra"/> parameters.</summary>
        protected void Connect(string extra = "") => RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api {Api} {extra}");

        /// <summary>The route's own method for an action: crm.lead.update, or crm.item.update on the item route.</summary>
        protected string MethodOf(string action) => (Api == "Item" ? "crm.item." : "crm.lead.") + action;

        protected EmulatorServer Server { get; }
        protected EmulatedPortal Portal => Server.Portal;
        protected PowerShellSession Shell { get; }

        protected ScriptResult Run(string script, IDictionary<string, object> variables = null) => Shell.Run(script, variables);

        protected ScriptResult RunOk(string script, IDictionary<string, object> variables = null)
        {
            var result = Run(script, variables);
            result.ThrowIfFailed();
            return result;
        }

        protected int AddLead(string title, object extra = null)
        {
            var fields = extra == null ? new JObject() : JObject.FromObject(extra);
            fields["TITLE"] = title;
            return Portal.AddLead(fields);
        }

        /// <summary>The update calls, on either route, with their fields as lead fields (TITLE, PHONE …): crm.item's read by
        /// the names the docs give, so a name the docs do not know fails the test.</summary>
        protected IReadOnlyList<RecordedCall> Updates => Portal.Calls
            .Where(c => c.Method is "crm.lead.update" or "crm.item.update")
            .Select(c => c.Method == "crm.lead.update" ? c : new RecordedCall(c.Method,
                new JObject { ["id"] = c.Parameters["id"], ["fields"] = DocumentedItemFields.AsClassic(1, c.Parameters["fields"] as JObject) },
                c.RawBody, c.ViaBatch, c.HttpStatus, c.ErrorDescription))
            .ToList();

        /// <summary>Calls that change data on the portal (for "nothing was written" checks).</summary>
        protected IReadOnlyList<RecordedCall> Writes =>
            Portal.Calls.Where(c => c.Method is "crm.lead.update" or "crm.lead.add" or "crm.lead.delete"
                                             or "crm.item.update" or "crm.item.add" or "crm.item.delete").ToList();

        public virtual void Dispose()
        {
            Shell.Dispose();
            Server.Dispose();
        }
    }
}
