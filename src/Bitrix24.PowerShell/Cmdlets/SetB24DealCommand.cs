using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes deals with crm.deal.update, sending only the fields given or edited.</summary>
    [Cmdlet(VerbsCommon.Set, "B24Deal", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType("Bitrix24.Deal")]
    public sealed class SetB24DealCommand : B24SetEntityCmdlet<DealFields>
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
    }
}
