using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Rest.Crm;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>Get-B24LeadContact, Get-B24DealContact, Get-B24ContactCompany …: the records of another
    /// entity linked to records of this one (crm.&lt;entity&gt;.&lt;other&gt;.items.get).</summary>
    public abstract class B24GetLinkCmdlet : B24ConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        protected abstract CrmEntity Entity { get; }
        /// <summary>The linked entity: Contact or Company.</summary>
        protected abstract CrmEntity Other { get; }

        protected override void ProcessRecord()
        {
            var records = new CrmClient(ActiveConnection.Client, Entity);
            var link = Entity.Links[Other.Name];
            foreach (var id in Id)
            {
                try
                {
                    foreach (var item in Await((cancel, log) => records.GetLinksAsync(link, id, cancel, log)).OfType<JObject>())
                        WriteObject(LinkObjects.Create(Entity, Other, link, id, item));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, id);
                }
            }
        }
    }

    /// <summary>Set-B24LeadContact, Set-B24ContactCompany …: replaces the linked records of one record
    /// (crm.&lt;entity&gt;.&lt;other&gt;.items.set); the list given is the whole new list.</summary>
    public abstract class B24SetLinkCmdlet : B24ConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Id { get; set; }

        /// <summary>Write the record's links as read back.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract CrmEntity Entity { get; }
        protected abstract CrmEntity Other { get; }
        /// <summary>The ids to link, in order (the concrete cmdlet's -ContactId or -CompanyId).</summary>
        protected abstract int[] LinkedIds { get; }
        /// <summary>The primary one, when given.</summary>
        protected abstract int? Primary { get; }

        protected override void ProcessRecord()
        {
            var link = Entity.Links[Other.Name];
            var ids = LinkedIds;
            if (Primary is int primary && !ids.Contains(primary))
            {
                WriteB24Error(new ArgumentException($"{Entity.Name} {Id}: the primary {Other.ApiName} {primary} is not among the {Other.Plural} given ({string.Join(", ", ids)})."), Id);
                return;
            }
            var list = ids.Length == 0 ? "none" : string.Join(", ", ids);
            if (!ShouldProcess($"{Entity.Name} {Id}", $"Link {Other.Plural}: {list}")) return;
            var records = new CrmClient(ActiveConnection.Client, Entity);
            try
            {
                Await((cancel, log) => records.SetLinksAsync(link, Id, ids, Primary, cancel, log));
                if (PassThru)
                    foreach (var item in Await((cancel, log) => records.GetLinksAsync(link, Id, cancel, log)).OfType<JObject>())
                        WriteObject(LinkObjects.Create(Entity, Other, link, Id, item));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, Id);
            }
        }
    }

    /// <summary>Set-B24LeadContact, Set-B24DealContact, Set-B24CompanyContact: the contacts to link.</summary>
    public abstract class B24SetContactLinkCmdlet : B24SetLinkCmdlet
    {
        /// <summary>The contacts to link, in order; an empty list unlinks all.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyCollection]
        public int[] ContactId { get; set; }

        /// <summary>The primary contact (default: the first).</summary>
        [Parameter]
        public int PrimaryContactId { get; set; }

        protected override CrmEntity Other => CrmEntity.Contact;
        protected override int[] LinkedIds => ContactId;
        protected override int? Primary => ParameterSpecified(nameof(PrimaryContactId)) ? PrimaryContactId : (int?)null;
    }

    /// <summary>Bitrix24.LeadContact, Bitrix24.DealContact, Bitrix24.ContactCompany … objects:
    /// LeadId (or DealId …), ContactId (or CompanyId), Sort, IsPrimary.</summary>
    internal static class LinkObjects
    {
        public static PSObject Create(CrmEntity entity, CrmEntity other, CrmLink link, int id, JObject item)
        {
            var linked = new PSObject();
            linked.TypeNames.Insert(0, "Bitrix24." + entity.Name + other.Name);
            linked.Properties.Add(new PSNoteProperty(entity.Name + "Id", id));
            linked.Properties.Add(new PSNoteProperty(other.Name + "Id", (int?)item[link.IdKey] ?? 0));
            linked.Properties.Add(new PSNoteProperty("Sort", (int?)item["SORT"] ?? 0));
            linked.Properties.Add(new PSNoteProperty("IsPrimary", (string)item["IS_PRIMARY"] == "Y"));
            return linked;
        }
    }
}
