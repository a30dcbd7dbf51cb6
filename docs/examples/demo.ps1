# The everyday update, tried safely against the in-process sandbox portal (no real portal needed).
Connect-Bitrix24 -Sandbox

'--- Lead 1608 before the update:'
Get-B24Lead -Id 1608

'--- Preview with -WhatIf (nothing is sent):'
Set-B24Lead -Id 1608 -Title 'IP Titov' -Name Gleb -SecondName Yegorovich -LastName Titov `
    -StatusId NEW -Opened -AssignedById 1 -CurrencyId USD -Opportunity 12500 `
    -Phone @{VALUE='555888'; VALUE_TYPE='WORK'} -Web @{VALUE='www.mysite.com'; VALUE_TYPE='WORK'} `
    -RegisterSonetEvent -WhatIf

'--- The real update (-Verbose shows what is sent; -PassThru the lead as read back):'
Set-B24Lead -Id 1608 -Title 'IP Titov' -Name Gleb -SecondName Yegorovich -LastName Titov `
    -StatusId NEW -Opened -AssignedById 1 -CurrencyId USD -Opportunity 12500 `
    -Phone @{VALUE='555888'; VALUE_TYPE='WORK'} -Web @{VALUE='www.mysite.com'; VALUE_TYPE='WORK'} `
    -RegisterSonetEvent -Verbose -PassThru -OutVariable updated
'--- Its phones and web sites as the portal now has them:'
@($updated.PHONE) + @($updated.WEB) | Out-Host
