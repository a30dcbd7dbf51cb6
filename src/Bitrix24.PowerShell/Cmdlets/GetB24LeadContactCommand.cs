using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the contacts linked to leads (crm.lead.contact.items.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24LeadContact")]
    [OutputType("Bitrix24.LeadContact")]
    public sealed class GetB24LeadContactCommand : B24GetLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Lead;
        protected override CrmEntity Other => CrmEntity.Contact;
    }
}
