using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Leads;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the contacts linked to leads (crm.lead.contact.items.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24LeadContact")]
    [OutputType("Bitrix24.LeadContact")]
    public sealed class GetB24LeadContactCommand : B24ConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        protected override void ProcessRecord()
        {
            var leads = new LeadsClient(ActiveConnection.Client);
            foreach (var id in Id)
            {
                try
                {
                    foreach (var item in Await((cancel, log) => leads.GetContactsAsync(id, cancel, log)).OfType<JObject>())
                        WriteObject(LeadContacts.Create(id, item));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, id);
                }
            }
        }
    }

    /// <summary>Bitrix24.LeadContact objects: LeadId, ContactId, Sort, IsPrimary.</summary>
    internal static class LeadContacts
    {
        public static PSObject Create(int leadId, JObject item)
        {
            var contact = new PSObject();
            contact.TypeNames.Insert(0, "Bitrix24.LeadContact");
            contact.Properties.Add(new PSNoteProperty("LeadId", leadId));
            contact.Properties.Add(new PSNoteProperty("ContactId", (int?)item["CONTACT_ID"] ?? 0));
            contact.Properties.Add(new PSNoteProperty("Sort", (int?)item["SORT"] ?? 0));
            contact.Properties.Add(new PSNoteProperty("IsPrimary", (string)item["IS_PRIMARY"] == "Y"));
            return contact;
        }
    }
}
