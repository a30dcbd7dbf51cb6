using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Leads;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Sets the contacts linked to a lead (crm.lead.contact.items.set): the list given replaces the old one.</summary>
    [Cmdlet(VerbsCommon.Set, "B24LeadContact", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.LeadContact")]
    public sealed class SetB24LeadContactCommand : B24ConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Id { get; set; }

        /// <summary>The contacts to link, in order; an empty list unlinks all.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyCollection]
        public int[] ContactId { get; set; }

        /// <summary>The primary contact (default: the first).</summary>
        [Parameter]
        public int PrimaryContactId { get; set; }

        /// <summary>Write the lead's contacts as read back.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            int? primary = ParameterSpecified(nameof(PrimaryContactId)) ? PrimaryContactId : (int?)null;
            if (primary.HasValue && !ContactId.Contains(primary.Value))
            {
                WriteB24Error(new ArgumentException($"Lead {Id}: the primary contact {primary} is not in -ContactId ({string.Join(", ", ContactId)})."), Id);
                return;
            }
            var list = ContactId.Length == 0 ? "none" : string.Join(", ", ContactId);
            if (!ShouldProcess($"Lead {Id}", $"Link contacts: {list}")) return;
            var leads = new LeadsClient(ActiveConnection.Client);
            try
            {
                Await((cancel, log) => leads.SetContactsAsync(Id, ContactId, primary, cancel, log));
                if (PassThru)
                    foreach (var item in Await((cancel, log) => leads.GetContactsAsync(Id, cancel, log)).OfType<JObject>())
                        WriteObject(LeadContacts.Create(Id, item));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, Id);
            }
        }
    }
}
