using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the contacts linked to deals (crm.deal.contact.items.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24DealContact")]
    [OutputType("Bitrix24.DealContact")]
    public sealed class GetB24DealContactCommand : B24GetLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
        protected override CrmEntity Other => CrmEntity.Contact;
    }
}
