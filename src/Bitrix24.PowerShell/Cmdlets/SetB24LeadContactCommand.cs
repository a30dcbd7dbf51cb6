using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Sets the contacts linked to a lead (crm.lead.contact.items.set): the list given replaces the old one.</summary>
    [Cmdlet(VerbsCommon.Set, "B24LeadContact", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.LeadContact")]
    public sealed class SetB24LeadContactCommand : B24SetContactLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Lead;
    }
}
