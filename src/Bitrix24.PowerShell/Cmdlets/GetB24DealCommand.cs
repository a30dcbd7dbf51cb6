using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads deals: by id (crm.deal.get), or a filtered list (crm.deal.list) streamed page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Deal", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType("Bitrix24.Deal")]
    public sealed class GetB24DealCommand : B24GetEntityCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
    }
}
