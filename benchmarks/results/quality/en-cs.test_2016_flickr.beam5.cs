Muž v oranžové čepici, který na něco zírá.
Lasaska běží po zasněženém trávě před bílým plotem.
Dívka v karate uniformě si dává tyč s kopkou.
Pět lidí v zimních bundách a přilbách stojí ve sněhu s sněhem v pozadí.
Lidé opravují střechu domu.
Muž ve světle barevném oblečení fotí skupinu mužů v tmavých oblecích a čepicích stojí okolo ženy.
Skupina lidí stojí před obchodem.
Chlapec v červeném dresu se pokouší ohrát z domácí metu, zatímco chytač v modrém dresu se snaží chytit.
Muž pracuje na budově.
Muž ve vestě sedí na židli a drží magazín.
Matka a její mladý muž si užívají nádherné den venku.
Muži hrají volejbal, jeden z nich než jeden do vzduchu.
Žena drží misku s jídlem v kuchyni.
Muž sedí a používá nástroje u stolu ve své domova.
Tři lidé sedí v řadě.
Dívka v džínových šatech jde po rozklezném kruhu.
Blondýna, která drží za ruce s mužem v písku.
Žena v šedém svetru a černé kšiltovce stojí v obchodě v obchodě.
Člověk v pruhovaném triku leze po skále.
Dva muži, kteří jsou vidět, zatímco žena se dívají.
Lidé stojí před budovou.
Teenager hraje na trumpetu na poli.
Žena dělá nějaké prkno na trampolíně.
Muž stojí u skupiny roztleskávačky v baru.
Žena používá vrtačku, zatímco jiný muž fotí.
Žena v růžovém svetru a zástěře čistí stůl s chlapcem.
Muž krájí větve stromu.
Skupina asijských chlapců čeká na maso, aby si mohli mohli protát.
Žena v tradičním oblečení, které mají na sobě tradičním oblečení, jsou v basketbalu.
Jeden muž drží druhého muže, které se připravují a připravují se na obličeji.
Šest lidí jede na horském kole skrz vystoupení.
Dvě blonďaté dívky sedí na římse na přeplněném náměstí.
Dítě cáká ve vodě.
Tři lidé sedí u piknikového stolu před budovou, na které jsou vidět jako žido.
3 chlapci stojí na molu v plavkách.
Obchodka podává ženu, zatímco se dívá skrz ryby na pouličním trhu.
Krásná žena si hraje na harfu.
Pohled na kraji budovy, v uniformě se dívá do kamery.
Mladá dáma se dívá na pizzu.
Muž bez trička v šortkách rybaří, zatímco stojí na nějakých kamenech.
Dívka v záchranné vestě pádluje ve vodě.
Muž v uniformě a muž v modrém triku stojí před dodávkou.
Lidé sedí ve vlaku.
Dítě se houpe s nohama ve vzduchu v lese.
Muž v červeném triku v hale.
Dva muži v plavkách skáčou do vzduchu na hužněné pláži.
Batole vaří s dalším člověkem.
Otec se dvěma dětmi a dvěma dětmi na trávě, které pracují na trávě a s kytkami.
Muž vaří jídlo na sporáku.
Muž v džínách na pláži si hraje s červeným míčem.
Lidé jdou po chodníku vedle řady obchodů.
Jezdec na wakeboardu provádí backflip, zatímco je na vysoké metu.
Velká skupina lidí naplňuje ulici.
Muž na kole se prochází do vody.
Žena v džínách jde kolem autobusové zastávky, které se dívá přes svůj sluneční brýle.
Muž v růžovém triku sedí v trávě a míčem ve vzduchu.
Auto zaparkovaný na pláži.
Dva muži v černém ve městě.
Muž ve žlutých kalhotách zvedá ruce.
Dva muži v čepicích, kteří s čepicemi, kteří jdou poblíž vodní plochy.
Skupina roztleskávaček dělá svoje svoje na židlích.
Kluk hraje dámu s dospělým, který je nahlíží.
Dav lidí je venku na nějaké akci ve veřejném parku.
Muž sedí na lavičce a drží svého psa a dívá se na vodu.
Chlapec a jeho mladší muž si hrají na hřišti.
Žena v modrém se dívá v černém kožené tašku, zatímco lidé sedí na lavičce během slunečného přívěsu, zatímco se lidé aby za ním.
Hnědý pes stojí na písečné pláži.
Žena sedí s košíkem s košíkem, obklopenými látkou.
Muž griluje venku na své zahradě.
Žena zpívá v klubu s kytaristou za ní.
Kytarista vystupuje v nočním červeném kytaru.
Dítě sedí na trávníku a dívá se do kamery.
Dvě ženy a tři muži se dívají na oceán.
Žena na housle hraje na ulici, zatímco žena s modrým kytarou se dívá.
Mladá dívka plave v bazénu.
Několik dětí je venku se připravuje na začátek.
Tři dorostenci v metru si hraje.
Hnědý pes jde po trávě s vyplazeným jazykem.
Lidé sedí v trávě před budovou, zatímco si dávají pauzu.
Polonahý žena se dívá do dáli, zatímco se tři žena prochází kolem kavárny.
Dva mladí chlapci dávají ovoce na kole.
Muž v černém tričku, čepici a čepici hraje na bubny na žluté tyči.
Mladá žena maluje obrázek ženy na zdi.
Dvě roztleskávačky s týmem předvádí skok vysoko, je obklopena dvěma dalšími.
Muž míchá hrnec tekutiny v okně.
Chlapec wakeboarduje na wakeboardu na jezeře.
Muž pracuje, zatímco pár stojí.
Velká skupina lidí různého věku spolu sedí venku.
Blonďatá žena lije pití na baru.
Malé dítě v modro-bílém tričku křičí a drží žlutý plastový balónek.
Žena s růžovými vlasy v černém mluví s mužem.
Muž v obchodě připravuje jídlo na dva lidé.
Dívka skáče přes řeku, z skály.
Stavební dělník s nástroji klečí vedle dvou žen.
Postarší muž otevírá svou ruce a dívá se na sekeru.
Dítě v bílém oblečení trénuje trik.
Tři muži ve stejných barevných vestách jsou venku.
Žena fotí mimino v růžovém klobouku, zatímco muž nese.
Skupina pěti dětí sedí na kolotoči v modrých křeslech.
Mladý chlapec v fotbalovém dresu brečí do svého sloupu.
Šťastná žena připravuje jídlo v kavárně.
Stavební dělník řídí těžkou vybavení.
Žena běží po míči v kloboucích, zatímco chytač se na jeho nohou.
Muž v pracovním dresu vychází nástroje na jiného člověka.
Skupina lidí leze po chladném počasí.
Cyklista se chystá sjet horu s modrou helmou.
Muž dělá stojku na vrchu kulaté sochy.
Dítě sedí v restauraci a drží papír proti obličeji.
Hnědý pes se brodí do jezera, aby mohli mohli vytát do jezera.
Matka učí své dvou mladých chlapců, aby mohli z kamene do velmi modré vodě.
Malé dítě se prochází vedle červeného čáry.
Dívka, která sedí na ozdobené kolo s mladším chlapcem, zatímco další dívka fotí.
Černý pes vede míč ve vodě.
Muž v bílých kalhotách a modrém triku kope do žlutého boxu.
Dva Indi se účastní obřadu.
Chlapec s čírem a píše na ruce stojí v prádelně.
Dva fotbalisté pádlují pádlují na kánoi během západu slunce.
Lidé stojí v přeplněném metru a před oknem je vidět z okna.
Muž leze po zdi s ohněm v ruce.
Dva hnědí psi běží sněhem.
Na pódiu předvádí malé kapela hrající pro obecenstvo.
Miminko v zástěře se dívá na kameru.
Muž sedí vedle počítače monitoru.
Tato dáma má na sobě šnorchlu a smějí se.
Lidé uvnitř budovy, jeden si fotí.
Čtyři bílí psi s náhubky skáčou přes červenou zeď.
Žena v modrém triku drží mimino.
Dva lidé sedí na pruhované pláži ve vodě.
Stará žena pracuje na tkalcovském stroji.
Chlapec stojí v popředí a dívá se z druhého lidí na hřišti.
Muž v modré bundě vede mladého chlapce.
Tři hnědí psi skáčou na ženu v modrém.
Chlapec visí z nějakých taxíků.
Muž v šedém triku skáče přes vrchol písečné duny v poušti.
Dítě ve žlutém triku skáče nahoru a dolů.
Dělník ve žluté bundě je zavěšená vysoko na budově.
Muž v dáli vymátáta v kostýmu se baví na dospělých.
Skupina žen, která táhne v baru s vánočními světly na stropu.
Muž jede na útesu po útesu přes oceán.
Muž v černém jde ke svého auta ve sněhu.
Parašutista skáče po míči.
Otec v čepici a tmavomodré uniformě se usmívá, zatímco má sluneční brýle před obchodem.
Rodina jde po chodbě v parku.
Muž v zelené helmě a žluté bezpečnostní vestě s modrými bezpečnostními vestu.
Dítě s růžovými mašlí na hlavě tančí obklopený směrem.
Pes s čírem, který zvedá něco na břehu řeky.
Muž se připravuje na místním prostranství.
Muž v červeném triku se chystá jí.
Mladá žena v bílém drží tenisovou raketu.
Chlapec v červeném triku kope do písku se žlutým lopatem.
Člověk, který má na sobě plovky na dřevěné lavičce.
Muž v bílé košili se dívá z okna kovového dřeva.
Žena drží malou bílou sochu.
Šest chlapec bez trika si hraje ve skrální vodě a cáká se.
Dva lidé jedou na kole skrz horu.
Dívka skáče přes švihadlo na chodníku poblíž parku.
Muž v oranžovém triku a helmě.
Malý chlapec si hraje s plastovými auty, auty a zvířata se dívají.
Malá dívka otevírá Vánoční dárky.
Žena v modrém řídí foťák před dvěma dalšími ženami.
Malá dívka se snaží odpočívá na svých gauči.
Hnědo-bílý pes běží po cestě v lese.
Dva psi si hrají u stromu.
Přehášná, která jde v černém kabátu a kalhotách na schodech se soustředí na psa.
Dva muži v zeleném připravují jídlo v restauraci.
Muž oblečený v černém kabátu a kovbojském klobouku jde kolem resasy.
Pes běží venku s žlutou hračkou.
Pes, který má na sobě tričko běží sněhem.
Rodina si hraje na pláži se svým psem.
Žena a dítě se objímají, zatímco se dítě, které je na tom, co jsou vidět.
Dva muži a žena stojí venku.
Skupina mužů, která na sobě používá výhled, aby mohli tlačí z vody z vody.
Muž pije ze vína a čte noviny.
Muž v černém a hraje na piano.
Mladý chlapec v modrém dresu a žlutých šortkách hraje fotbal.
Muž stojí na kamenné budově s rukama z ptáka.
Pes pije venku venku na trávě.
Dvě ženy v tílkách se dívají na kameru.
Muž sedí na květinovém křeslech se připravuje na holí.
Malé dítě v zelených botách si hraje v bahně.
Muž používá motorovou motorovou pilou.
Muž sedí u piknikového stolu s tácem a částečně za ním.
Chlapec v černém triku a modrých džínách drží červené baseballovou pálkou.
Tmavovlasý oblečený muž v brýlích a kostkované košili sedí na trávě.
Pes běží na psí dráze.
Vousatý muž s kmenem s kmenem s tetováním u balkónu.
Dva hnědí psi, které jsou na sobě mají na sobě na sobě.
Toto je skupina lidí stojících na nějaké akci.
Hnědo-bílý pes kouše hračku.
Muž s bílými vlasy hraje na akordeon uprostřed nějakých budov.
Žena s hnědými vlasy sedí na lavičce před kavárnou.
Muž vedle kola si hraje na muži.
Dvě děti balancuje na kládě a drží provaz.
Muž jede na motorce předvádí trik na dráze.
Mladá žena s fialovými látkami se baví na dřevěné verandě.
Žena v hnědém triku sedí na světle červené lavičce.
Pes jde podél kopce na malé řece.
Mladý muž v bílém tričku a zelenočerných šortkách stojí na větvi.
Skupina lidí je obklopena deštníky.
Muž, který je napadá s velkou ceduli na svém kole.
Muž hází kládu do vody, zatímco dva psi se dívají.
Skupina starších mužů hraje na nástroje pod vodou.
Pohled na přeplněné ulici ve městě.
Mladá blonďatá žena drží bílé lano za slunečného dne.
Dva lidé v modrých košilích jsou venku s býkem.
Černý pes plave do bazénu.
Kovboj jede na zadní části koně v soutěži.
Pouliční umělec pracuje na železniční trati.
Pracovník v oranžové vestě používá lopatu.
Dva pracovníci mají diskuzi, zatímco pracují na práci.
Tři muži vychází kopec.
Asijská žena v květovaných svatebních šatech pózuje na mostě blízko své sebe.
Mladý muž strká svůj kytaru v kuchyni.
Tři chlapci si hrají s chlapcem a kyblíkem.
Tři dělníci pracují na chodníku.
Lidé, kteří jsou v lese vedle kánoi vedle kánoích.
Sbor se sešla v kostele.
Skupina mladých dorostenců skáče v noci do fotoaparátu.
Dva muži jedou na kajaku, jeden z nichž jeden modrý, dolů.
Dva pracovníci s cementem na cihlové budově.
Žena v červené mikině a džínách sedí s rukama na levé kole.
Dva umělci se perou na reklamu, co se dívá na obecenstvo, co je pozoruje.
Lasaskuje a čeká na letišti.
Muž ve žluté bundě se stará o oheň, chlapec v parku sleduje.
Muž a chlapec na kamenné pláži.
Žena na lodi, na kterém je napsáno "TETEC."
Chlapec sedí a dívá se z mikroskopu.
Mladá bosá dívka v růžových šatech skáče venku.
Mnoho lidí sedí kolem stanu venku.
Mladík v černém triku s nápisem "AATECO" hraje na buben, zatímco sedí na buben.
Muž prodává předměty u silnice na chodníku.
Dívka ve žlutém se směje s dívkou v oranžovém, zatímco se dívá na dívku v modrém.
Pes skáče přes překážku venku.
Pes s černým obojkem se vznáší v hlíně a žisidá listí.
Dva hnědí psi si hrají ve storně.
Muž s knírem a vousy drží pusu, který má na sobě, co je za ním, když z nich je vidět.
Muž, který má na sobě nežovněné oblečení, zatímco je žetátka.
Muž v černém triku rybaří na kamenné pláži.
Dva psi se snaží získat proslov.
Dva muži se zastavil, aby se baví na chodníku, zatímco kolem něj prochází auta.
Barevně muž sedí a čeká na zákazníky.
Vousatý auta s velkými autobusy za nimi.
Dvě ženy v podobně trikách jdou k levé.
Malé dítě v oranžové záchranné vestě drží ve vodě na modré kajaku.
Lidé jdou po cestě v kmenovém parku.
Tři mladí dospělí se baví v davu lidí, žena se dívají.
Žena a dítě venku před řadu aby vyhalá před jejich řadu.
Černý muž a jeho bílých přátel spolu dávají svou hlavami blízko sebe.
Dívka v maskáčových kalhotách sedí na střeše.
Světle světle hnědý pes běží.
Chlapec pózuje s velkou zelenou v nose.
Plešatý muž je na sobě vysokého hnědého a černého psa.
Dav na rušném rušné ulici.
Chrt oblečený do žlutého psa, který běží po dráze.
Muž v sandálech sedí na chodníku u nějakých tašek.
Muž a žena sedí na metu a povídají si.
Dítě se dívá na kávu v obchodě.
Muž pije z žlutého barelu kolem žlutého událost.
Chlapec se opírá o auto s květinami na kapotu.
Žena v květovaných šatech mluví s dětmi před dodávkou.
Muž na svůj svatební den.
Mladá žena v černém triku a džínách zametá.
Žena s čepicí leze na útesu blízko velké vodní plochy.
Velký černý pudl běží trávou s hračkou v puse.
Chlapec v šortkách dělá skateboardový trik.
Malý chlapec v červených kalhotách stojí na ulici.
Žena píše na mobilním telefonu, kde je obklopena deštníky.
Několik mužů hraje na hudební nástroje na pódiu s kytaristou v pozadí.
Muž v oranžové kombinéze a světle přilbě pomáhá s modrou hadici.
Muž a dvě dívky ukazují rybu, zatímco drží rybářský prut.
Muž v červeném triku sleduje psa na kole.
Chlapec v červené a bílých plavkách se potápí v krásném bazénu.
Asijat se soustředí na vlasy.
Starší žena a malé dítě v růžovém tričku si hraje s barevnými kostkami.
Malý černý pes skáče přes brány.
Hnědovlasý muž v zeleném tričku hraje na trumpetu.
Muž mluví na telefonu s nohama.
Skupina dětí sedí na modré podložce, zatímco jí jedí z mísy.
Černý chlapec sedí v písku.
Malý pes sleduje dva velkých psi hrajících na poli.
Lidé sedí v kruhu před velkou budovou.
Jeden pes skáče, aby chytil míč, zatímco jiný přihlíží.
Blonďaté dítě se houpe na houpačce.
Jeden muž a dvě ženy, kteří mají diskuzi nad bílými vína.
Asiat vaří jídlo venku.
Hnědý pes se chystá chytit zelenou frisbee.
Pochádník fandí kapelu.
Mladý chlapec stojí vedle pískové sochy.
Tři malé děti jdou po travnaté zahradě.
Muž lije umění na vozíku.
Muž na kole projíždí na horu.
Chlapec v modrém a žlutých botách běží po hlíně.
Žena v oranžové bundě sedí na lavičce.
Muž dělá trik na skateboardu.
Muž v bojových bojovém dresu ve vzduchu.
Žena prodává tašky na chodníku.
Dva fotbalové týmy jsou na hřišti.
Dítě v modrém triku skáče z lavičky.
Brankář ve žlutém poli je tažený gól.
Skupina mladých lidí se fotí v New Yorku.
Mladý muž skateboarduje z růžového zábradlí.
Mladý chlapec skáče z výšky na malé posteli.
Dva lidé ve zvláštních oděvech, jedna modré oblečení, jeden v modrém a druhý fialové, stojí na silnici.
Muž, který běží v modrém triku s číslem za ním.
Teenager pózuje do fotoaparátu.
Muž, který vypadá, že běží maraton, aby mohli palec nahoru.
Hráč basketbalu v zápase během hry.
Fotbalista v oranžové uniformě se usmívá a drží fotbalový míč.
Dva malí lyžaři na skateboardu, jak se ostatní dívají.
Tým v bílo-zlatém poli na dráze.
Malá dívka tlačí svůj skútr po travnatém stromě.
Skupina asijských dětí oblečených v bílých košilích a čepicích vystupují s davem se dívá.
Chodci jdou po ulici a dívají se na dítě v kartonovém boxu.
Hnědý pes běží po písečné pláži.
Dva muži ve vojenské uniformě stojí vedle ženy.
Rodistiii během denního dne, kde jsou účastní zastádky a s šálamimi vlajkami.
Cyklista skáče přes překážku.
Pár sedí v bílých zahradních židlích se usmívají na kameru.
Mladé děti jsou na malé vlaku.
Surfař v modrých plavkách jede na vlnách.
Chlapec skáče do svého týmu.
Dva mladí muži na opačných týmech soupeří do míče na fotbalovém hřišti.
Lidé jdou po dlážděném svahu obklopené obchody.
Mladý chlapec v bílých kalhotách skáče z gauči.
Chlapec v oranžovém triku lije překážku z tašky.
Žena v hnědých sandálech a modrých džínách drží mimino pod vysokou stromem.
Tři lidé se smějí a drží pozemního nápisy.
Dělník stojí vedle auta na městské ulici.
Dva muži v čepicích.
Chlapec ve vzduchu se snaží kopit do fotbalového míče.
Mladý chlapec s modrou čepicí má hlavu dolů.
Červenovlasý muž s dredy sedí a hraje na akustickou kytaru.
Muž jí sendvič s dcerou na klíně.
Afroamerické dítě drží něco na fotce, které jsou vidět.
Žena, která se dívá na dav lidí s rozemáda.
Zatímco přihlížející sledují, zatímco se muž v obleku drží misku s ovocem.
Dav prezentuje v baru.
Dívka v bílém a dívka v zeleném prochází kolem modrého auta.
Muž používá elektronicový stroj.
Člověk surfuje skrz vln v oceánu.
Tanečnice si prohlíží něco.
Nevěsta a ženich se líbají pod nevěsty.
Na pozadí stojí mladý muž v pozadí, zatímco mladý muž s červenou šálou zakrývá obličej.
Černobílý pes skáče přes horu na soutěži.
Žena ve svetru si čte knihu dopředu.
Několik dorostenců se dívá na zábradlí v tmavé místnosti.
Muž v bílém tričku se snaží vylézt skálu.
Dospívající chlapec se protahuje v kuchyni a zahnutým plovkem.
Lidé, kteří drží různé druhy bubnů, které jsou nad různými druhy bubnů.
Tři cyklisté s rýži na rýži.
Dvě ženy a muž se dívají na knihu.
Tři děti se houpají, zatímco stojí blízko krávky.
Kuchař pózuje pro kameru, zatímco vaří.
Mnoho lidí na ulici protestuje, jak je posedátka v květináči.
Dospívající chlapec skáče na horu se svým kolem.
Malá dívka běží po pláži na břehu.
Bílá kachna spí na vodě ve vodě.
Dva muži, kteří vypadají, že se baví, zatímco se baví stojí před nákladním vozem, zatímco čtyři lidé stojí okolo nich.
Žena v růžové sukni drží mimino.
Hokejový hráč ve žlutém dresu je rodeo.
Muž prochází kolem velké cedule, které je napsáno "SonES.
Tři chlapci v zelených košilích a béžových kalhotách pózují na vrcholu skluzavky.
Muž tancuje s psem mezi nohama.
Bílý pes běží v mělké vodě.
Pouliční Řesisisi jsou pochoduje s kapelou.
Skupina dětí si hraje na oplocené zahradě, zatímco dospělý se dívá.
Skupina žen hraje na hudební nástroje.
Malá dívka ve fialových kostkovaných šatech leží na zemi a brečí.
Muž s šedými vlasy si holí vousy.
Dva černí psi, černý štěně a bílý pes ve sněhu.
Muž v basketbalovém basketbalovém dresu skáče, aby mohli udělat obecenstvo.
Žena sedí venku před domem s modrými dveřmi, si užívají ve vzduchu.
Děti sedí na muže v pracovním obleku.
Šedobílý pes skáče přes stojí v písku.
Dav se sešla v parku v parku.
Několik starších mužů, někteří jsou v tradičních svých čelecích se krčí na rohu ulice.
Mladá Quka se dívá na psa ve sněhu.
Fotbalista v zlatém dresu právě odpálil míč z protihráče.
Žena v černém triku plete s fialovými skvrnami.
Čtyři ženy asijského původu jsou v zlatém šatech, zatímco vystupují a předvádí si.
Člověk hraje na unikátně hudební nástroj.
Dívka v černém sportovním oblečení s číslem 50 běží trávou.
Dítě s číslem 5 skáče s číslem 5."
Starší gentleman a mladá dívka se na práci.
Shromážděný mnoho filmů filmu ve žlutém triku je ve žlutém triku.
Ulice s cyklistovým mostem a několika auty.
Muž jede na kopém býku v býku.
Chlapec skáče aby trefil tenisový míček.
Děti lezou po zdi, zatímco dva další lidé sledují.
Lidé, kteří jdou kolem nesedádky s palmami v pozadí.
Malá dívka kope do vzduchu karate.
Dva muži se snaží získat z vody, aby viděli z vody od pneumatiky.
Dva muži tančí, s davem se dívají.
Pracovně oblečený žena stojí na pódiu a diskutuje, a probírají něco.
Žena leží na gauči se směje.
Mokokoskuje v jedné bílé a jedna žena.
Lyžař skáče přes plot.
Tři psi si hrají s míčem na poli.
Dvě mladé děti jsou na písku.
Usmívající se chlapec si hraje v listí mezi kachny.
Tito čtyři lidé stojí venku s třemi psy.
Záběr na farmě, který je žetáta, zatímco je v pozadí.
Dívka, který má na sobě neuženě má otevřenou triko.
Člen kmeny na poušti naplňuje vodu.
Muž stojí na městské ulici.
Skupina turistů se připravuje s jídlem ve svých řadách.
Dva muži jedou po farmě na farmě, aby mohli mohli pohlítní pilu.
Dva lidé stojí na vrcholu hory.
Mladá dívka si vychutnává o sebe, když sněží.
Tři muži se usmívají na kameru a ukazuje se na svůj hodněch.
Člověk píše na tabuli v prázdné třídě.
Muž v černém triku sedí u stolu s otevřeným laptopem před ním.
Čtyři lidé odpočívají na travnatém kopci s výhledem na kamenný údolí.
Chlapec se skateboardem skáče ve vzduchu podél nějakých zábradlí.
Je tam muž v oranžovém triku hraje tenis.
Pes s červeným obojkem spravuje zuby na psa s modrým obojkem.
Chlapec se baví venku během letního dne.
Dělník v oranžovém pracuje a kontroluje kus stroje.
Muži v kovbojskéch čepicích stojí na rodeu.
Dva psi ve sněhu a jeden má něco v puse.
Obchodka si dává pauzu z práce.
Béžový pes běží za bílým psem, který drží žlutý hračku.
Hokejový hráč v bílé uniformě s větví.
Muž v bílé košili se zlatou dívá s zlatou deskou.
Černý kůň strká hlavu přes plot přes trávu.
Servírka, které je žatátka, aby se zatátátka, aby si kouří.
Dva muži a dívka se smějí.
Dítě se opírá o výstavu z modrého a žluté, zatímco se dospělý dívá.
Černo-bílý pes se prochází po sněhu na sněžném sněhu.
Mladá dívka stojí vedle žlutého kočka na kuchyňské lince.
Dvě děti si hrají na hřišti.
Tenista v zeleném proužkovaném triku drží ruku u pusy.
Chlapec v červeném obleku si hraje ve vodě.
Dítě v červené bundě a čepici drží velký kus sněhu.
Dva muži v oranžových bundách stojí před bílým stanem s diváky.
Dva lidé stojí vedle stromu na zemi.
Dva muži sedí blízko kamenné budovy.
Hnědovlasá dítě s brýlemi drží blonďaté dítě v červeném svetru a žlutých botách.
Černobílý pes si hraje s bílým míčkem.
Dva lidé se líbají na chodníku před obchodem, zatímco lidé jdou kolem.
Žena hraje volejbal.
Dva velcí psi se perou na špinavém poli.
Hnědý pes skáče přes překážku.
Muž v pruhovaném triku kouří cigaretu na ulici.
Malá dívka drží malého chlapce na klíně.
Muž se snaží sjet velmi zahratné býku na nádherném býkovi.
Děti zápasí, aby mohli dostat.
Cyklista se opírá o kolo kolem zatáčky na špinavé dráze.
Dva lidé a krávu zamaká krávu doma.
Mladý chlapec se učí, jak jezdí na kole se svým otcem.
Chlapec v červeném triku a černých šortkách zametá cestu.
Afroamerické rodina stojí před nějakými řízkou.
Muž hraje na nástroj vedle stromu.
Dvě ženy se drží za ruce přes stůl a usmívá se do objektivu.
Muž hnědý pes jde po trávě.
Baseballový hráč v černém tričku právě odpálil hráč v bílém triku.
Žena drží velký zboží a kontroluje něco na dospělé.
Dva psi, jeden s tenisovým míčkem v puse, běží vysokou trávou.
Dva dospělí a dvě děti sedí na lavičce v parku.
Žena v travnatém poli je na kolotoči.
Muž prodává kvůli čas.
Skupina lidí na ulici se shromažďují, aby se podívali na akordeon.
Muž sedí na lavičce a dívá se na kytaru.
Starý muž v metru v metru si čte noviny.
Starší muž v brýlích připravuje maso.
Muž předvádí trik na kole stojí na kole.
Muž je na pláži na pláži.
Několik lidí v parku jedí u piknikového stolu.
Dvě ženy jsou na stromech na nějaké staveništi.
Kovboj v rodeu se pokouší ohrátně, že je nežetáněně.
Pes skáče skrz po tyči.
Dlouhovlasá žena s dlouhými černými vlasy v růžovém triku s nápisem "Jovka.
Muž opravuje malé dívce.
Dvě dívky v plavkách tančí před nějakými muzikanti na ulici.
Žlutý pes nese klacek u vody.
Dívka ve svetru je za slunečného dne.
Člověk koncertuje.
Tři ženy v jasně barevných barvách a čele si drží klado.
Hnědý pes hrabe v blátě.
Mladý chlapec v bílé pruhované košili a čelenkou drží tenisovou raketu.
Dva psi běží od fotoaparátu v lese.
Dívka si hraje ve fontáně plném oblečením.
Tři mladí muži stojí a poslouchá výstavu na výstavu.
Dva turisté turisté zkoumají kládu na kraji cesty.
Tři hráči, které se dívají na tým.
Dva chlapci přechází ulici ve městě, zatímco kope do svého fotbalového míče.
Muž, který drží druhého se za ním.
Bílý pes na horském kole se na obličeji něco na obličeji.
Chlapec jede na skateboardu na skateboardu.
Dlouhovlasý muž si hraje na piano.
Tři atleti drží kytici stojí na pódiu.
Dva muži v červených šatech v červených šatech.
Mladý chlapec visí na oblečení na oblečení.
Malá dívka v růžovém se drží tyč.
Muž v zeleném skáče na své motorce.
Žena si hraje se dvěma malými chlapci v parku.
Čtyři lidé hrají fotbal na pláži.
Dvě indické dívky se objímají, jeden na kole v pozadí.
Dva třednětředně psi běží přes sněhem.
Žena stojí na zeleném poli a drží bílého psa a ukazuje na hnědého psa.
Na venkovním trhu je plná párů na venkovním trhu.
Dva lidé sedí u stolu venku u zdi a dělají obličeje.
Dva muži s rouškami se smějí.
Dítě leží na béžovém koberci se směje.
Muž a žena jsou v ruce, které sedí a jsou oblečeni nahoru.
Dvě ženy se honí v dětském bazénu.
Muž v bílém triku jde s nápojem v ruce.
Dva lidé jsou v jezeře proti západu slunce u jezera.
Několik lidí sedí u stolu ve formálním oblečení.
Dvě dívky v modrém, jedna v modrém, a druhý v růžovém leží na kolečkových bruslích.
Čtyři lidé sedí na hromadě kamenů.
Skupina lidí na motorce.
Cyklista v závodním vybavení jede lesem.
Muž v zeleném triku jde po pláži a nese svou boty.
Několik mužů stojí okolo policejního závodního auta.
Dva muži pracují pod kapotou bílého závodního auta.
Děti skáčou z břehu do bazénu.
Muž na okraji zdi se chystá bahit.
Žena v pruhovaném oblečení na kole.
Dívka v černém pózuje na kameru.
Muž v šortkách stojí u vody.
Čtyři černí muži sedí na schodech v kostele.
Pracovník jeřáby uprostřed hromady suti.
Gymnastka v červené a bílé je uprostřed svou tyč.
Starší dáma v zeleném svetru sbírá zeleninu.
Dva muži dělají věci v místnosti s nástroji.
Učitelka v bílém a malá dívka v žlutých šatech si hraje s budovou.
Mladé dítě spí ve své posteli se otevřeným knihu.
Žena jí v trávě na krásném dni.
Muž jde po dlážděné ulici vedle budovy s červenými s červenýmimi vlasy.
Žena, která má na hlavě klobouk s kostýmem.
Osamocený žena používá velkou idodu, aby zatátá státáka a židítka, že stojí na skrotém poli.
Muž v karate hraje před dvěma řísky.
Muž ve formálním oděvu hraje na flétnu na chodníku ve městě.
Postarší muž sedí na židli a jí jídlo.
Žena v bílém triku pracuje za pultem v kavárně.
Muž v pracovním oblečení stojí na zadní části auta.
Dvě děti se dívají na koních skrz malého plotu.
V okně s nějakými motivem.
Žena, která má na sobě jasně růžovou růžovou svou obličej, má na sobě fialové tašku, je na ženu, co má na sobě fialové tašku.
Kovboj zabalený zabalený na ruku s kapelou.
Muž ve žlutém triku a muž v tmavě modrém triku mluví.
Tři asijské děti sedí na gauči s čísly se dívají v pozadí.
Dívka v červeném tričku skáče dohodit tenisový míček.
Muž pózuje do objektivu se zeleným jeřábem.
Muž se nechává o lahve s dalším člověkem, zatímco se usmívá v restauraci.
Muž nakládá krabici s mnoha žetátky s mnoha řítami.
Muž v černé bundě hraje na kytaru venku.
Místní kapela vystupuje v průvodu.
Muž stojí na kamenném útesu s výhledem na vodu.
Policisté sleduje ženy z autobuse.
Dva muži středního věku se dívají na parkoviště v noci.
Dva muži v modrých košilích se dívají na fotbalový zápas.
Skupina mužů v modrých uniformách stojí spolu.
Mladá žena dělá jógu na pláži.
Velký dav lidí stojí v parku a několik lidí hraje na hudební nástroje.
Muž s balónem dělá balóny.
Muž griluje maso na venkovní gril.
Dva muži prodávají ovoce na trhu.
Hnědovlasá žena v bílých bikinách lije nápoj do muže.
Chlapec ve slunečních brýlích běží za stanem.
Stříbrné ruce drží něco, co vypadá, že je na zdech za kládě.
Muž v kostkované košili ukazuje z černého rukavice.
Dva muži v bílé plastové židle sedí ve dveřích.
Mladá dívka v červených šatech má na sobě černé kovbojské čepici.
Muž v červeno-bílém fotbalovém dresu stojí na poli a skáče se žlutými a modrými fotbalovým míčem.
Lidé skáčou přes horu na provazu.
Lidé, kteří se dívají, na které se prochází maraton kolem.
Lidé na laptopech před velkou oknem.
Dospívající žokej rušní na práci v práci.
Muž v rukavicích nese kukuřici na poli.
Fotograf je focen do zrcadla v kavárně.
Voják, která drží balóny na zamovní akci.
Žena sedí v kruhu v oblasti s kočkam a dvěma ohrátky.
Žena sedí u cihlové zdi v budově.
Tři mladé ženy se objímají, zatímco sedí na červených plyšových židlích.
Žena v modrém triku jde ve vesnici.
Šest dětí, která sedí na schodu s nápisem a pastelkami.
Béžový pes si hraje s větví na břehu.
Dva psi si hrají za třetího psa, který je s vyplazeným jazykem.
Dítě je na motorce se usmívá.
Šest lidí se shromáždili kolem jídla.
Voják, která je vyfocena na svých oslavce akci.
Rušných rodina jsou v dešti v dešti v dešti.
Žena v modré helmě a červených kalhotách jede na motorce.
Několik mužů má na sobě bojového umění, zatímco vystupují, zatímco se dívají na ně.
Mladá dáma a muž oblečené v kostýmech v kostýmech s skupinou lidí v pozadí.
Muž v uniformě jde po ulici s dvěma auty a stromem.
Mladá žena leze na skálu.
Postarší muž ve světle modré bundě pracuje na autě.
Lidé se dívají přes několik barevných papírů na stole.
Muž zpívá a hraje na kytaru do mikrofonu.
Dva muži sedí v restauraci.
Dvě ženy v šortkách běží po pláži u vody.
Stavební dělníci mají diskuzi u kolejích.
Pohled ze skály, kde je muž v černé zástěře, bílé a bílé čepici stojí uprostřed obchodu.
Skupina lidí si hraje na předmět.
Malá dívka v modrém oblečení leze po kovové zábradlí na ulici.
Skupina mužů sedí a povídají si za nějakými zelenou ovoce.
Muž ve žlutém oblečení stojí za mikrofonem pod zemí.
Hnědý pes s fialovou frisbee v puse.
Vypadá to, že muž trénuje své bojového umění poblíž nějakých žítka.
Žena s nápoji a žena s mobilem.
Dítě v červené bundě mává ruku ve vzduchu vedle červené plastového světla.
Žena sedí vedle svého kabelku a sleduje psy v parku.
Tři muži stojí na pódiu, jeden v klauna a drží kytaru.
Žena v kmene sbírá svou v kmenu ve vesnici.
Žena v červených šatech tancuje s mužem v obleku.
Dva malí psi se perou, jak velký pes s tenisovým míčkem.
Muž s hustými vousy a baseballovou čepicí sedí na lavičce v parku.
Afroameričan stojí na svých zahradě s lesem v pozadí.
Mladá dívka se snaží ukod.
Asijat sedí v restauraci s žlutými židlemi.
Miminko jí sušenky, zatímco sedí na židli a má na sobě tričko.
Šedovlasý muž v černých rukavicích vede trávu.
Žena čte knihu, zatímco sedí na lavičkách.
Dítě tleská, zatímco jede na ramenou.
Rodina jde po chodníku sněhem, zatímco muž sedí na straně s otevřeným papírem.
Žena sedí na vrchu obchodu s alkoholem.
Muž v růžovém triku a černé bundě se sluchátky.
Mladý muž se chystá hodit míč.
Muž a dívka jdou po úzkém chodníku.
Žena s růžovými vlasy je na chodníku a drží růžovou psy.
Muž v obleku drží nápoj a jde po chodníku vedle asijského autobusu.
Muž skáče s kamenem v pozadí.
Člověk v červené bundě s černými kalhotami drží rýži.
Žena si dává ruku na člověka, který sedí na vozíku.
Muž v bílé zástěře vaří něco s vajíčky na muže v béžové bundě.
Žena s taškou tlačí po přechodu a leží na přechodu.
Skupina mužů jde po ulici ve městě.
Ulice vedle hory s mnoha sloupy.
Skupina lidí v černém stojí na molu u dlouhé budovy.
Muž nese několik sochy.
Muž středního věku sedí a hraje na akordeon.
Dívka s zelenými rukou, s krátkými vlasy, kravatou, stojí venku.
Mladá dívka v růžovém tričku je na pláži směrem k oceánu.
Skateboardista v černém tričku a džínech bruslí ve městě.
Muž v bundě fotí velkou budovou.
Lidé na kraji fotbalového zápasu.
Na rušné ulici je rodina, která se prochází po rušné ulici.
Skupina lidí jde po ulici na slunci.
Ulice poblíž dvou stanů s několika lidmi, včetně hnědé triko a má ruku na obličeji.
Nějací nakupují blízko okna.
Tento hráč s modrou helmou je na metu a právě právě odpálil míč během fotbalové hry.
Žena ve zlatém kabátu je v pozadí, aby chytili v metru.
Nějací lidé sedí na lavičkách pod řadou stromy před budovou.
Muž v obleku sedí na autobusové zastávce.
Afroameričan je obklopená prázdnými kyblíky a tmavém bedky a tmavém bedlou.
Mladá brunetka jedí a pijí něco.
Muž v obleku a čepici hraje na kytaru na ulici.
Žena v červené vestě pracuje na počítači.
Lidé, kteří stojí kolem sebe, v pozadí jsou kouře.
Muž používá koupelně v koupelně, aby si kravatě.
Husiviště, které si hrají u několika jedinců, zatímco šťastný sedí a poslouchá.
Dva mladí muži jedou na velmi malém koni plnémi životy.
Žena v šatech jde po ulici kolem stavby.
Servírka ve třídě se stará o svou alkoholu na skrtánu.
Muž se slunečními brýlemi řídí práci na stavbě a vyklávají štěrk.
Miminko si hraje se svým hračkami a dívá se na černo-bílé kočku.
Dospívající dívka nese kytaru v lese.
Muž s batohem jde po ulici.
Dva muži se baví před stánkem s potravinami v New Yorku.
Žena v černém drží něco v tlamě.
Skupina lidí sedí venku okolo malého stolu.
Muž jede na kole na rampě.
Žena v černém tílku a vychází se do dáli blízko západu slunce.
Tři mladé dívky jdou spolu po chodníku.
Žena s dlouhými vlasy je na hrodní obřadu.
Muž skateboarduje na silnici, zatímco jiný muž sleduje z chodníku.
Muž v černé kožené bundě stojí před nápisem.
Muž a žena spolu hraje venku.
Mladá dívka s kudrnatými blond vlasy leží v trávě a drží s kytkami.
Mladá žena se zeleným týmem v zelených uniformách předvádí se koupit.
Žena, která je zvedátní scéna ve veřejném místě za žlutým páskem.
Muž klečí, zatímco provádí holuby v pozadí.
Skupina mužů stojí na poli.
Rušný den na místním městském hřišti.
Muž s cigaretou v puse opravuje talíř s jídlem.
Dvě skupiny plavců se brodí.
Lidé sedí na lavičce na městském náměstí s vysokými předměty, včetně lampy.
Stavební dělníci nakupují díru s kbelíkem.
Muž bez trička v černých šortkách stojí na kamenitém břehu u velkého vodní plochy.
Cyklista nahlíží.
Lidé hrají kulečník, jeden muž v modrém triku a jiní ženy, aby zahrádají svou hlavu.
Lidé stojí před sochou obklopený vodou.
Žena se dívá na muže, který má na sobě svou svých rukou a mluví.
Muž středního věku v bílých šortkách a žabkách se dívá na silnici.
Dva muži oblečeni v tmavém oranžových oděvech a sandálech stojí u velké reflexní sochy.
Dva lidé se perou na jejich lodi.
Muž a žena stojí na ulici ve městě.
Hasiči se připravují z stanice metra.
Čtyři muži, tři ženy, kteří mají na sobě oblečení s šálami, sedí na modré a je tam na modré a plídky.
Toto je velký skupina lidí, která sedí venku na lavičkách.
Muž v červeném triku jde kolem tyrkysově a bílé kostkované jídlo, které jsou vidět, aby zatrátně zatrátně."
Tanečnice předvádí nějaké úkoly.
Starší muž s cigaretou v puse a baseballové čepici kontroluje svůj foťák.
Malý chlapec si hraje s otevřeným stolem před ním.
Muž v červeném obleku tancuje s ženou.
Dva lidé se dívají v noci v noci.
Dva béžoví cyklisté, kteří mají na sobě středně ochranným vybavením, jeden ve vzduchu na kole a druhý se dívá dolů.
Několik mužů oblečených v oranžové se shromáždili na venkovní akci.
Dvě mladé dívky běží po chodníku před cihlovou budovou s nápisem.
Dva surfaři šplhají na horu.
Dítě leží na zemi vedle kočárku.
Pes u muže a žena.
Mnoho lidí na trhu se dívá na různé různé věci.
Dva mladí muži hrají na elektrickou kytaru na pódiu.
Potetovaný muž lije vodu z láhve.
Dva lidé stojí venku vedle skovky automobily.
Čtyři lidé jedou na kole na kole poblíž rušné ulice.
Žena v růžovém triku a s brýlemi.
Žena v červeném triku zvedá ruku, aby mohli vyhlítní obecenstvo pod ním.
Chlapec v bílých šortkách skáče do jezera nebo řeky.
Malá dívka se dívá skrz dalekohled na pláži.
Několik stavebních dělníků v oranžových bezpečnostních vestách kope do země.
Člověk v kapotě stojí před polem.
Stavební dělníci se skonují proti La DAu.
Muž jede na koni s třemi dalšími muži, kteří si dělají za ním, za ním jsou další muži.
Afroameričan jde po ulici.
Dva dorostenci pózují pro fotku.
Žena s neonovou sluchátky píše do notebooku.
Žena v zelené kostkované košili v tričku mluví do telefonu.
Malý africký dítě nese mladší dítě na zádech.
Skupina lidí sedí na židlích.
Člověk v šátku stojí na ulici před svým zbožím.
Orientální člověk v červeném tričku a černých kalhotách se krčí přes kabelku na betonu.
Černý pes a hnědý pes s míčem.
Muž s černou vestou drží model letadla.
Muž v poli s letadla na výhled.
Muž v obleku a kravatě s roztaženýma rukama, zatímco se ostatní v galerii čekají v galerii.
Dítě jde po chodníku s několika americkými vlajkami.
Černý pes běží trávou s hračkou v puse.
Orientální kol čeká na svou zamodce.
Pes se otáčí na trávě, aby chytil míč.
Skupina studentů sedí a poslouchá si.
Lidé jedou po ulici v noci.
Velký šedý na kole a muž na kole.
Muž v oranžovém triku a blonďatých chlapec jedou s dalšími lidmi na koních.
Mladý muž a žena blízko velké kovové sochy.
Dař s červenými, bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-bílo-
Muž v černém klobouku fotí v rušné ulici.
Muž stojí na rušné ulici a dívá se s hlavou.
Žena v černém drží malou dívku ve žlutých šatech.
Skupina lidí na ulici na hromadě.
Hnědý jede na špinavém kole.
Tři lidé jdou po horské cestě, jedna žena se dívá na svůj foťák.
Několik asiatů v černém oblečení na nějaké stanici.
Žena v červené sukni jde po ulici s graffiti v pozadí.
Stojící gymnastka v modro-bílém oblečení předvádí stuhu.
Lidé v fontáně, žena v bílých šatech sedí na kraji.
Muž sedí na lavičce pod velkou stromem.
Tři muži v červeno-bílém pruhovaných kalhotách, bílých kalhotách a černých čepicích drží vlajky.
Lidé obdivuje práci.
Policejní asijského asijského nakupují s papírem a nakupují.
Tito lidé lezou po schodech na horu.
Malé dítě v modrém dresu se dívá z nějakých stromů v dáli.
Lidé se dívají na děti v obchodě.
Muž s čepicí hraje na buben.
Chlapec stojí s třemi dívky.
Usmívající se muž s batohem drží svou krádky před chlapcem v brýlích.
Čtyři muži jsou venku a dívají se na zelenou most.
Žena odpočívá na prádelně před lidmi a užívá si modrý vodu.
Dospívající dospělý běží za denního dne.
Pracovníci nakupují a zahračené jídlo, když je zachyceni v prostředu a ve městě.
Afroamerické muž protestuje proti neklečené škon.
Policista je na kole a čeká na světlo.
Skupina mužů sedí okolo stolu.
Řada mužů středního věku v parku, včetně sedí v parku.
Žena mluví s kamarádem, zatímco venčí psa venku za slunečného dne.
Mladý muž v šedém a černém triku a bílé čelence.
Dva lidé jedou na motorce s mnoha lidmi.
Dvě ženy ve vojenské uniformě stojí s dalšími vojáci.
Tři dívky se usmívají na fotce.
Dáma v černém krátkých brýlích a ve žlutém svetru se dívá na suchou lavičku pokryté lavičku.
Červenovlasý mladý muž pije z vody ze vodní fontány.
Dva muži a žena jdou po ulici ve městě.
Muž středního věku s červenými vlasy a brýlemi drží nemluvně.
Mladý chlapec v červené čepici jede na koni.
Dva chlapci si hrají na chodníku.
Malá dívka v černém plavkách drží lopatu na pláži.
Starý muž v klobouku a kabátu spí na gauči.
Dva chlapci se dívají nahoru na oblohu a mává rukama v oblečení, aby za nimi jsou vidět.
Mladý pár sedí na chodníku a relaxuje.
Mladý chlapec v košili a kravatě se krčí a ukazuje gesto gesto nápis.
Tři lidé, kteří sedí u stolu před nápisem "Coskon.
Kluk v černém triku a červeném oblečení visí vzhůru nohama, zatímco ostatní lidé se dívají.
Muž jde před barevnými stěnou.
Mladý muž se prochází s jinými mladým mužem, který právě zahratají na tři dívky.
Muž v kmenu dává na stromní stromu uvnitř.
Pět lidí, která jde po schodech po schodech s ženou v růžovém tričku a hnědé sukni.
Skupina lidí na venkovním trhu.
Dva chlapci jedí svou obchody ve venkovních křeslech obklopené mnoha dalšími lidmi.
Žena v džínové bundě jde po chodníku.
Muž řídí čtyři auta s čtyřmi pasažéry, kteří sedí na zádech a muž sedí na zádech.
Muž v modré košili čte noviny.
Chlapec v kočárku v zeleném triku drží knihu.
Dvě děti sedí vedle sebe, zatímco jedí.
Lidé jedou na kole na ulici a jsou oblečeni v helmách.
Dav lidí na kolech.
Muž, který sedí na platformě s vozíkem, který je táhne po tyči.
Muž na kole pádluje skrz oblouk.
Barevně oblečený mladý muž s mnoha skvrnami sedí a kouří cigaretu.
Dva muži v oblecích pod deštníkem a před graffiti.
Starý muž s špinavým bílým tričkem jede na kole na ulici.
Kůň na koni se pokouší sjet provazem.
Kovboj se snaží chytit tele tele na koni.
Dva cyklisté v helmách jedou kolem nějakých prázdných hřiště.
Muž se ohýbá a táhne něco z tašky.
Muž na terénním vozíku jede u v parku v parku.
Člověk s tetováním se dívá na fotku na digitálním kameru nebo telefonu.
Muž v černém triku a džínách stojí na chodníku a dívá se na foťák.
Chlapec a dívka stojí společně na chodníku a dívají se na věc.
Několik lidí v modrém oblečení a jeden v sukni a černé blůze.
Žena a pes sedí na bílé lavičce blízko pláže.
Dvě ženy jdou kolem velké budovy.
Skupina mužů a dítě v bílých košilích stojí na silnici.
Žena v černém a nese černou tašku na chodníku.
Skupina mužů sedí okolo stolu a povídají si.
Pohled na kraji budovy.
Asiat v rukavicích pracuje u jídelního stánku s jídlem.
Žena sedí u stolu, zatímco pracuje na svém laptopu.
Člověk se dívá na počítače na stole s mobilem a krabici.
Muž sedí na židli a sleduje lidi se prochází.
Dva lidé v čepicích stojí na poli se skládky.
Někdo skáče přes tyč v New Yorku.
Muž oblečený v botách a kovbojském klobouku sedí na koni, který skáče, zatímco ho diváci sedí.
Dvě mladé dívky sedí na ulici a jí kukuřici.
Tři děti v fotbalových uniformách se dvěma různými týmy hrají fotbal na fotbalovém hřišti, zatímco jiný hráč a dospělý stojí v pozadí.
Mladé dítě se špinavým obličeji, které je držena stará žena.
Muž s brýlemi se dívá na kameru, zatímco jiný muž v modrém triku se dívá na něco.
Dva lidé sedí pod stromem s zelenými zeleninu.
Mladý chlapec v modrém klobouku se dívá skrz dalekohled, zatímco jiný chlapec sleduje.
3 muži vaří v malém kuchyni.
Mladá dívka v šedé kombinéze pádluje na zasněženou horu.
Skupina plavců shromážděných v tanečním tančí.
Muž a žena si dávají v prádelně s osátá rukavicemi.
Mladá dívka sedí na dřevěné židli.
Dva pracovníci sváří pomocí plotu poblíž rušné ulice.
Dlouhovlasý mladý muž skateboarduje na zábradlí na podkleném dni.
Na venkovním trhu se dvěma muži odhazuje sníh.
Muž v bílém triku hraje na bílou kytaru.
Mladá dívka ukazuje svou kamarády, jak používat do toho.
Malý chlapec skáče z mola do jezera.
Dáma v zelené masce s zelenými masky a právě zahrát, a právě se zahrátá velmi, aby viděli velmi, aby viděli
Muž v oranžové bundě a modré čepici leze na zasněženou horu.
Malá dívka s blonďatými vlasy si hraje a cáká se v blátě.
Dítě jede na kole po chodbě s graffiti.
Gymnasta je na shromáždění na akci.
Lidé jdou po ulici s pouličním stánkem.
Muž oblečený v tradičních šatech v tradičních šatech, zatímco stojí vedle svého doru, zatímco stojí vedle ní.
Dvě děti si hrají na kole.
Dva muži na stadionu hrají fotbal na poli.
Muž skáče a pózuje na zemi.
Dívka si dává nápoj z fontány.
Pilot Řebarkuje na zádech vodu během sebe.
Muž v laboratorním kabátu se dívá skrz mikroskop.
Blondýna spí na hnědém gauči.
Muž zametá chodník před cihlovou budovou během dne.
Tři muži vaří v kuchyni.
Muž na lešení před domem se usmívá a pózuje pro fotografa.
Dvě dívky v šortkách se drží za ruce v bazénu.
Čtyři asijské děti sedí na lavičce a usmívají se do kamery.
Děti jedou na kole na něčem, co vypadá, že vypadá jako idos.
Mladý chlapec v šéfkuchařské čepici a zástěře krájí klobásy v kuchyni.
Toto je klauna na dádku ve škole.
Usmívající se se směje se na svého dřevěných loď.
Žlutý buldozer, který pracuje, aby mohli mohli zahrát.
Žena v červeném triku jede na bílém koni, která je na bílém koni.
Žena sedící na velmi velké skále se usmívá do objektivu s stromy v pozadí.
Tři muži v jasně barevných kostýmech se dívají na ulici s parukami a s brýlemi.
Dívka si hraje v malém bazénu.
Dvě děti, chlapec ve žlutém tričku a dívka v modro-bílém pruhovaném.
Muž hází rybářskými síť do vody.
Muž v šedém triku, modrých džínách a neonově zelené vestě stojí na železniční trati s bílými auty a bílými budovou v pozadí.
Dva pracovníci leží na kovové atrakci.
Je tam kapela na pódiu s členem, které má na sobě hodně modrého.
Horolezec se svým trikem z zpívá do mikrofonu, zatímco si hraje na bubny.
Pohled svůj předměty z nákupního vozíku, se připravuje na svůj předměty.
Muž s hůlkou na chůdách.
Žena v bílém triku pracuje na kolotoči.
Dívka, která má na sobě masku jede na ramenou po dlážděném chodníku.
Dvě dívky, jedna v černém a jedna mladší a jedna mladší a v bílém, aby vystupují před kasem.
Několik žen vystupuje před budovou.
Plešatý muž jde po chodníku po chodníku, zatímco mluví do telefonu.
Žena si hraje s nohama, zatímco malé dítě v kostýmu prochází kolem.
Skupina lidí sleduje mladých mužů hraje na bubny na bubny.
Dívka s čírem a několika ochranným vybavením jezdí na kolečkových bruslích.
Malá bílý auto je na vlaka a za ním, aby za ním, že je za ním.
Dva horolezci zpívají a hrají na tmavém pódiu.
Dívka v baseballové čepici, bílém tričku a modrých šortkách stojí na kamenném skútru.
Dva muži hrají na kytaru před velkým obecenstvem.
Mnoho lidí tancuje svou nápisy před několika velkými domem.
Žena a pes prodává své zboží na staré budově venku.
Žena a dva muži, kteří jsou oblečeni, jsou oblečeni.
Skupina mužů v červené a černých bundách čeká na motorkách.
Muž oblečený v bílé uniformě s číslem 3 běží fotbal.
Muž prodává jídlo na sportovní akci.
Dva muži ze zeleného týmu se dívají na třetího týmu ze hry.
Děti se perou, aby mohli získat fotbalový míč.
Člověk v modrém je na člověka, který hází míč na bowlingové dráze.
Několik fotbalistů na hřišti v akci.
Mladý muž sedí na skateboardu a drží mobil a pózuje na eskalátorech.
Dáma v modrém běží maraton.
Tato kapela se připravuje na představení před publikem v kostele.
Hráč, hráč číslo "Jo" se pokouší zahrátně a za ním se pokouší chytit.
Dva muži, kteří se schovávají na ledě, které zametá cestu před plakátem, zatímco malý dav pozoruje.
Muži hrají fotbal na zabláceném hřišti.
Basketbalista v bílém dřepí, zatímco se hráč v červeném se dívá směrem k němu.
Lidé jdou skrz obloukem ve starém městě.
Dva motorkáři, jeden v červené a druhý modré, jedou po straně dráze, zatímco je několik diváků.
Fotbalista v bílém dresu drží fotbalový míč.
Velmi mladý chlapec se dívá na malé věc, zatímco se drží malé věc.
Žena a dítě jdou po ulici.
Hokejový zápas je se spoustou lidí sleduje.
Tři ženy skáčou na trávě.
Afroameričan v modrých šortkách, černé a černé košili, černé košili a bílých krátkách hraje tenis.
Muž a žena v bílých košilích se objímají.
Muž mluví s rodinou a usmívá se na sebe, zatímco se smějí a smějí.
Vousatý chlapec v zeleném triku leží na bílém posteli.
Záběr na kole se zastavil, aby odpočívají v pozadí.
Žena na zasněženém místě v zasněžené oblasti.
Čtyři dívky a žena se učí, jak se dívají do nějakýu.
Muž v černo-bílém dresu se snaží zahnout koně.
Muž dělá obrázek, která má na sobě modrou košili, že je v modrém triku, aby si zahaluje.
Žena s červenými vlasy je zavěšená v kouře na modré vodě.
Dva mladí chlapci pózují s větví na fotce.
Čtyři děti trénují karate, zatímco dva dospělí sledují.
Muž odpočívá na červeném gauči v davu.
Skupina lidí mluví u stolů.
Dva koně závodí, jeden v červeném a červené a červené, a druhý v oranžovo-bílém oblečení.
Červené auto je před dvěma auty v pozadí.
Velký býkovi se dívá na muže, který je v rodeu, zatímco ho rodeo klauna běží.
Muž bez trička jde k žlutém kajaku.
Chlapec v pistoli se pohybuje.
Dva fotbalové týmy hrají fotbal v písku.
Dítě v modrém a dítě v bílém stojí na malé betonové zdi u potoka.
Žena maluje kytici na nákladním materiálu.
Lidé jdou po rušné ulici v cizí zemi.
Kohoska se hráčem na hlavě hází míč.
Dva muži, jeden v černo-bílé a druhý v červeném, hrají plážový volejbal.
Muž stojí na lodi a drží nějaké síť.
Surfař, který spadl z jeho surfu v oceánu, zatímco se snaží sjet vlnu.
Posádka připravuje ženu v laboraři.
Fotbalisté skáčou do vzduchu aby trefil míč.
Dva chlapci hrají fotbal.
Starší člověk přechází ulici s deštníkem v rukou.
Skupina běžců běží směrem směrem k dvou stranách.
Skateboardista jede na betonové zdi vedle betonové zdi.
Lidé hrají zápas v bazénu.
Muž se líbá na chlapu.
Muž podepisuje auto v malému chlapce.
Mladý muž v modrém triku jede na skateboardu na skateboardu v městské oblasti.
Asijský muž sedí na železniční trati s kabely.
Stojící pán oblečený v plném oděvu mává svou klobouk a dívá se do vody.
Dvě auta jedou na závodní dráze.
Muž v černo-bílém dresu drží žluté vesty a připravuje se na fotku.
Dva lidé leží a líbají se na travnatém trávníku.
Velmi malé dítě v džínové kšiltovce jí zelenou jablko.
Fotbalisté běží k míči.
Muž v černé bundě a kostkované čepici hraje na elektrickou kytaru na pódiu s zpěvákem a druhý v pozadí.
Muž skáče přes překážku od býka.
Žena v modrém triku a bílých šortkách hraje tenis.
Muž hraje na koncertě na koncertě.
Muž nese velkou na rameno velké kovové prkno.
Žena s kamerou hází frisbee, aby chytil frisbee.
Je tam ze dvou mužů, muž a žena se dívá na svou dřevěnými předmětů nebo další pomocí dřevěného předmětu.
Dvě dívky si dávají za ruce ve fontáně, zatímco lidé jdou kolem.
Mokrýž se usmívá se dítě bez trika pózuje s rukama.
Dva muži, jeden v bílém a druhý v modrém, zápasí.
Žena v červených bikinách skáče aby chytil míč, zatímco hraje volejbal na pláži.
Asijský štěňata, který podává blond blonďatou dívku na nose.
Žena, která má na sobě žluté zástěře se fotí z velké hrnce.
Dvě děti přechází malé mostě, jak používá kamenný most.
Dvěfroamerické ženy jedou na mopedu po ulici ve městě, co vypadá jako velké městské oblasti.
Dva chlapci před šicím strojem.
Cyklista v černém jede po špinavé cestě na špinavém kole.
Dáma s tetováním fotí obrazy se svým nápisem.
Žena v bílém oblečení a bílé helmě jede na kole s rozmazaným stromy v pozadí.
Tým cyklistů, jak se ohýbá, zatímco diváci fandí a fotí.
Čtyři fotbalisté v černém sledují protihráče, zatímco je v bílém, zatímco je v dešti.
Chrti na zahradě, zatímco se říhuje.
Basketbalista v bílé uniformě s číslem 5 je hráč v černém dresu s číslem 5.
Muž mluví na telefonu venku.
Hráč amerického týmu během fotbalové hry se dívají na protihráče.
Cyklista na terénním kole se otáčí v lese během podzim.
Tři basketbalisté basketbalu v červeném dresu se snaží získat míč a druhý v bílém dresu.
Chlapec chytá nohu, když skáče do vzduchu.
Dvě děti v pruhovaných svetrech a černých kalhotách jsou venku poblíž hry.
Muž ve slunečních brýlích jede na skútru.
Malý chlapec s číslem 5 drží pálkou za hlavou, zatímco za ním je hráč z něj.
Šest mužů sedí na poli s dřevěnými bedkami.
Hnědý pes sbírá z kamenného povrchu.
Toto je muž oblečený ve žlutém a drží na hnědém koni.
Muž v bílém triku a zástěře krájí ptáka.
Shromážděná žena používá venku v prádelně.
Běžkyně běžci závodí na městské ulici s dalšími lidmi, kteří stojí okolo.
Asijská žena, která má na sobě helmu, jede na kole.
Nějací děti jsou venku, kde si hrají dva stromů.
Postarší muž hraje na videokovky.
Dívka na pláži na pláži s horou v dáli.
