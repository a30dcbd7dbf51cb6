using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the portal's deal fields (crm.deal.fields), custom fields included.</summary>
    [Cmdlet(VerbsCommon.Get, "B24DealField")]
    [OutputType(typeof(CrmFieldInfo))]
    public sealed class GetB24DealFieldCommand : B24GetFieldCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
    }
}
