using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Sets the contacts linked to a deal (crm.deal.contact.items.set): the list given replaces the old one.</summary>
    [Cmdlet(VerbsCommon.Set, "B24DealContact", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.DealContact")]
    public sealed class SetB24DealContactCommand : B24SetContactLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
    }
}
